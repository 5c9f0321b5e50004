package io.debmonitor.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The settings digest on {@code /healthz}: equal settings give equal digests on every node, different ones differ. */
public class ConfigDigestTest {

    @Test
    public void theOrderOfPidsAndPropertiesDoesNotMatter() {
        Map<String, Dictionary<String, Object>> one = new LinkedHashMap<>();
        one.put("io.debmonitor.rest", properties("maxBodyBytes", "1024", "expectedSources", "hosts, images"));
        one.put("io.debmonitor.ui", properties("ui.pageSize", "50"));
        Map<String, Dictionary<String, Object>> other = new LinkedHashMap<>();
        other.put("io.debmonitor.ui", properties("ui.pageSize", "50"));
        other.put("io.debmonitor.rest", properties("expectedSources", "hosts, images", "maxBodyBytes", "1024"));
        String digest = ConfigDigest.of(one);
        assertTrue(digest, digest.matches("[0-9a-f]{16}"));
        assertEquals(digest, ConfigDigest.of(other));
    }

    @Test
    public void aChangedValueKeyOrPidChangesTheDigest() {
        String digest = ConfigDigest.of(Map.of("io.debmonitor.rest", properties("maxBodyBytes", "1024")));
        assertNotEquals(digest, ConfigDigest.of(Map.of("io.debmonitor.rest", properties("maxBodyBytes", "1025"))));
        assertNotEquals(digest, ConfigDigest.of(Map.of("io.debmonitor.rest", properties("maxBodyByte", "1024"))));
        assertNotEquals(digest, ConfigDigest.of(Map.of("io.debmonitor.ui", properties("maxBodyBytes", "1024"))));
        assertNotEquals(digest, ConfigDigest.of(Map.of()));
    }

    @Test
    public void arrayValuesCountItemByItem() {
        String both = ConfigDigest.of(Map.of("io.debmonitor.rest", properties("expectedSources", new String[] {"hosts", "images"})));
        assertEquals(both, ConfigDigest.of(Map.of("io.debmonitor.rest", properties("expectedSources", new String[] {"hosts", "images"}))));
        assertNotEquals(both, ConfigDigest.of(Map.of("io.debmonitor.rest", properties("expectedSources", new String[] {"hosts"}))));
        assertNotEquals(both, ConfigDigest.of(Map.of("io.debmonitor.rest", properties("expectedSources", new String[] {"hostsi", "mages"}))));
    }

    @Test
    public void nodeSpecificKeysAndSecretsAreLeftOut() {
        String digest = ConfigDigest.of(Map.of("io.debmonitor.cve.fetch", properties("httpProxy", "proxy:3128")));
        Dictionary<String, Object> withMore = properties("httpProxy", "proxy:3128",
                "service.pid", "io.debmonitor.cve.fetch",
                "service.factoryPid", "io.debmonitor.cve",
                "service.bundleLocation", "mvn:io.debmonitor/debmonitor-ui/0.1.0",
                "felix.fileinstall.filename", "file:/opt/k1/etc/io.debmonitor.cve.fetch.cfg",
                "httpProxyPassword", "hunter2",
                "apiSecret", "s3cr3t",
                "PASSWORD", "x");
        assertEquals(digest, ConfigDigest.of(Map.of("io.debmonitor.cve.fetch", withMore)));
        Dictionary<String, Object> otherSecrets = properties("httpProxy", "proxy:3128", "httpProxyPassword", "other");
        assertEquals("a secret never shows in the digest", digest, ConfigDigest.of(Map.of("io.debmonitor.cve.fetch", otherSecrets)));
        String withUser = ConfigDigest.of(Map.of("io.debmonitor.cve.fetch", properties("httpProxy", "http://user:hunter2@proxy:3128")));
        assertEquals("a URL's user information neither", withUser,
                ConfigDigest.of(Map.of("io.debmonitor.cve.fetch", properties("httpProxy", "http://other:guess@proxy:3128"))));
        assertEquals(withUser, ConfigDigest.of(Map.of("io.debmonitor.cve.fetch", properties("httpProxy", "http://proxy:3128"))));
    }

    @Test
    public void configurationAdminIsAskedForTheDebMonitorPids() {
        Hashtable<String, Object> rest = new Hashtable<>(Map.of("maxBodyBytes", "1024"));
        ConfigurationAdmin admin = admin(Map.of("io.debmonitor.rest", rest));
        assertEquals(ConfigDigest.of(Map.of("io.debmonitor.rest", properties("maxBodyBytes", "1024"))), ConfigDigest.of(admin));
    }

    /**
     * A ConfigurationAdmin with these configurations, answering only the listing of the DebMonitor
     * PIDs, plus one created but never updated (no properties yet), which does not count.
     */
    static ConfigurationAdmin admin(Map<String, Hashtable<String, Object>> byPid) {
        List<Configuration> configurations = new ArrayList<>();
        byPid.forEach((pid, properties) -> configurations.add(configuration(pid, properties)));
        configurations.add(configuration("io.debmonitor.new", null));
        return HealthResourceTest.stub(ConfigurationAdmin.class, Map.of("listConfigurations", args -> {
            assertEquals("(service.pid=io.debmonitor*)", args[0]);
            return configurations.toArray(new Configuration[0]);
        }));
    }

    private static Configuration configuration(String pid, Hashtable<String, Object> properties) {
        return HealthResourceTest.stub(Configuration.class, Map.of(
                "getPid", args -> pid,
                "getProperties", args -> properties == null ? null : new Hashtable<>(properties)));
    }

    private static Dictionary<String, Object> properties(Object... keysAndValues) {
        Hashtable<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }
}
