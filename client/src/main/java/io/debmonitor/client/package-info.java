/** The DebMonitor host agent: collects dpkg/APT package data and reports it to the DebMonitor servers. */
package io.debmonitor.client;
