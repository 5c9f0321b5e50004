/** The host-report source: v1 payloads sent by debmonitor-client from dpkg and APT. */
package io.debmonitor.source.dpkg.internal;
