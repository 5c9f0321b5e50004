/** The Karaf console commands of scope {@code debmonitor} (SPEC §6) and their name completers, over core-model's API. */
package io.debmonitor.shell.internal;
