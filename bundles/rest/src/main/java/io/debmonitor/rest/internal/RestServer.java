package io.debmonitor.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;

import javax.servlet.Servlet;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.apache.cxf.transport.http.DestinationRegistry;
import org.apache.cxf.transport.http.DestinationRegistryImpl;
import org.apache.cxf.transport.http.HTTPTransportFactory;
import org.apache.cxf.transport.servlet.CXFNonSpringServlet;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.PackageSources;
import io.debmonitor.core.model.api.ReportService;

/**
 * Owns the one JAX-RS application of the server, served at the root ('/') of Pax Web's default
 * context by a servlet registered on the HTTP whiteboard. The CXF bus, its destination registry
 * and the servlet are private to this component, so nothing appears under CXF's shared /cxf
 * servlet and redeploying this bundle leaves no stale endpoint. More specific whiteboard
 * patterns (e.g. the UI's /static/*) take precedence over '/*' by the servlet rules.
 */
@Component(immediate = true, configurationPid = "io.debmonitor.rest")
@Designate(ocd = RestConfiguration.class)
public class RestServer {

    private final Logger logger = LoggerFactory.getLogger(RestServer.class);
    private final Bus bus;
    private final Server server;
    private final ServiceRegistration<Servlet> servlet;

    @Activate
    public RestServer(@Reference PackageSources sources, @Reference ReportService reports,
            @Reference EntityService entities, @Reference AccessService access, RestConfiguration config, BundleContext context) {
        if (config.maxBodyBytes() < 1) {
            throw new IllegalArgumentException("io.debmonitor.rest maxBodyBytes must be positive, got " + config.maxBodyBytes());
        }
        DestinationRegistry registry = new DestinationRegistryImpl();
        bus = BusFactory.newInstance().createBus();
        JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
        factory.setBus(bus);
        factory.setDestinationFactory(new HTTPTransportFactory(registry));
        factory.setAddress("/");
        factory.setServiceBeans(List.of(new ReportResource(sources, reports, entities, access, config.maxBodyBytes()),
                new AuthCheckResource(access)));
        factory.setProviders(List.of(new ErrorMapper()));
        server = factory.create();

        CXFNonSpringServlet cxfServlet = new CXFNonSpringServlet(registry, false);
        cxfServlet.setBus(bus);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, "/*");
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "debmonitor-rest");
        servlet = context.registerService(Servlet.class, cxfServlet, properties);
        logger.info("DebMonitor v1 endpoints published at / (max body {} bytes)", config.maxBodyBytes());
        logHttpsFingerprint();
    }

    /** Operators pin the server certificate by this fingerprint, self-signed or not. */
    private void logHttpsFingerprint() {
        String path = System.getProperty("debmonitor.https.keystore");
        if (path == null || !Files.isReadable(Path.of(path))) {
            logger.warn("No readable HTTPS keystore at {} (system property debmonitor.https.keystore)", path);
            return;
        }
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, System.getProperty("debmonitor.https.keystore.password", "").toCharArray());
            for (String alias : Collections.list(keyStore.aliases())) {
                Certificate certificate = keyStore.getCertificate(alias);
                if (certificate != null) {
                    byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
                    logger.info("HTTPS certificate '{}' SHA-256 fingerprint {}", alias, HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest));
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            logger.warn("Cannot read the HTTPS keystore {}: {}", path, e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        servlet.unregister();
        server.destroy();
        bus.shutdown(true);
    }
}
