package io.debmonitor.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.servlet.Servlet;
import javax.servlet.ServletConfig;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.apache.cxf.transport.http.DestinationRegistry;
import org.apache.cxf.transport.http.DestinationRegistryImpl;
import org.apache.cxf.transport.http.HTTPTransportFactory;
import org.apache.cxf.transport.servlet.CXFNonSpringServlet;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.AuditService;
import io.debmonitor.core.model.api.ActivityListener;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.KubernetesService;
import io.debmonitor.core.model.api.PackageSources;
import io.debmonitor.core.model.api.ReportService;

/**
 * Owns the one JAX-RS application of the server, served at the root ('/') of Pax Web's default
 * context by a servlet registered on the HTTP whiteboard. Other bundles contribute resources to
 * it as services with {@value #RESOURCE} (and providers with {@value #PROVIDER}), each annotated
 * {@code @Path("/")} at class level, since CXF merges root resources only when their class paths
 * are equal; JAX-RS then routes by path, method and media type across all of them.
 *
 * <p>A running CXF server takes no new resources, so every change of the contributions builds a
 * complete new server (private bus and destination registry) and only then swaps it in; requests
 * never see a half-built application, and the old server is destroyed after in-flight requests
 * had time to finish. Nothing appears under CXF's shared /cxf servlet.
 */
@Component(immediate = true, configurationPid = "io.debmonitor.rest")
@Designate(ocd = RestConfiguration.class)
public class RestServer {

    /** Service property that marks a JAX-RS resource contributed to the application. */
    public static final String RESOURCE = "debmonitor.jaxrs.resource=true";
    /** Service property that marks a JAX-RS provider contributed to the application. */
    public static final String PROVIDER = "debmonitor.jaxrs.provider=true";

    private static final long RETIRE_AFTER_SECONDS = 30;
    /** Contributions that change together (a bundle's resources, a reconfigured component) give one rebuild. */
    private static final long COALESCE_MILLIS = 200;
    /** Karaf waits up to karaf.shutdown.timeout (5 minutes) for the framework to stop. */
    private static final int MAX_DRAIN_SECONDS = 120;

    private final Logger logger = LoggerFactory.getLogger(RestServer.class);
    private final List<Object> builtInResources;
    private final PackageSources sources;
    private final Set<String> expectedSources;
    private final Map<Long, Object> resources = new ConcurrentSkipListMap<>();
    private final Map<Long, Object> providers = new ConcurrentSkipListMap<>();
    private final SwappableServlet front = new SwappableServlet();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "debmonitor-rest-application");
        thread.setDaemon(true);
        return thread;
    });
    private final ServiceRegistration<Servlet> servlet;
    private final BundleContext context;
    private final ShutdownDrain drain;
    private Application current;
    private boolean active;
    private ScheduledFuture<?> pendingRebuild;

    /** One built CXF server and the servlet that serves it. */
    private record Application(Bus bus, Server server, CXFNonSpringServlet servlet) {
        void destroy() {
            servlet.destroy();
            server.destroy();
            bus.shutdown(true);
        }
    }

    @Activate
    public RestServer(@Reference PackageSources sources, @Reference ReportService reports,
            @Reference EntityService entities, @Reference KubernetesService kubernetes, @Reference AccessService access,
            @Reference AuditService audit, RestConfiguration config, BundleContext context) {
        validate(config);
        Set<String> expected = entries(config.expectedSources());
        this.sources = sources;
        this.expectedSources = expected;
        this.context = context;
        drain = new ShutdownDrain(config.drainSeconds());
        builtInResources = List.of(
                new ReportResource(sources, reports, entities, kubernetes, access, audit, config.maxBodyBytes(), expected),
                new AuthCheckResource(access),
                new OpenApiResource(),
                new HealthResource(context, sources, entities, expected, access, drain, () -> configurationAdmin, Instant.now()));
        synchronized (this) {
            active = true;
            rebuild();
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, "/*");
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "debmonitor-rest");
        servlet = context.registerService(Servlet.class, front, properties);
        context.addBundleListener(drain);
        logger.info("DebMonitor application published at / (max body {} bytes)", config.maxBodyBytes());
        logHttpsFingerprint();
    }

    static void validate(RestConfiguration config) {
        if (config.maxBodyBytes() < 1) {
            throw new IllegalArgumentException("io.debmonitor.rest maxBodyBytes must be positive, got " + config.maxBodyBytes());
        }
        if (config.drainSeconds() < 0 || config.drainSeconds() > MAX_DRAIN_SECONDS) {
            throw new IllegalArgumentException("io.debmonitor.rest drainSeconds must be between 0 and " + MAX_DRAIN_SECONDS
                    + ", got " + config.drainSeconds());
        }
    }

    /** List settings arrive as arrays or as one comma-separated string from a .cfg file. */
    static Set<String> entries(String[] values) {
        Set<String> entries = new java.util.TreeSet<>();
        for (String value : values) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    entries.add(part.trim());
                }
            }
        }
        return entries;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<ActivityListener> listeners = List.of();

    /** For the settings digest on /healthz. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ConfigurationAdmin configurationAdmin;

    @Reference(service = Object.class, target = "(" + RESOURCE + ")", cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void bindResource(Object resource, Map<String, Object> properties) {
        resources.put((Long) properties.get(Constants.SERVICE_ID), resource);
        rebuildIfActive();
    }

    void unbindResource(Object resource, Map<String, Object> properties) {
        resources.remove((Long) properties.get(Constants.SERVICE_ID));
        rebuildIfActive();
    }

    @Reference(service = Object.class, target = "(" + PROVIDER + ")", cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void bindProvider(Object provider, Map<String, Object> properties) {
        providers.put((Long) properties.get(Constants.SERVICE_ID), provider);
        rebuildIfActive();
    }

    void unbindProvider(Object provider, Map<String, Object> properties) {
        providers.remove((Long) properties.get(Constants.SERVICE_ID));
        rebuildIfActive();
    }

    private synchronized void rebuildIfActive() {
        if (active && (pendingRebuild == null || pendingRebuild.isDone())) {
            pendingRebuild = scheduler.schedule(this::rebuildNow, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void rebuildNow() {
        if (active) {
            try {
                rebuild();
            } catch (RuntimeException e) {
                logger.error("Cannot rebuild the JAX-RS application; the previous one keeps serving", e);
            }
        }
    }

    /** Builds the application from the current contributions and swaps it in; the caller holds the lock. */
    private void rebuild() {
        DestinationRegistry registry = new DestinationRegistryImpl();
        Bus bus = BusFactory.newInstance().createBus();
        JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
        factory.setBus(bus);
        factory.setDestinationFactory(new HTTPTransportFactory(registry));
        factory.setAddress("/");
        List<Object> beans = new ArrayList<>(builtInResources);
        beans.addAll(resources.values());
        factory.setServiceBeans(beans);
        List<Object> allProviders = new ArrayList<>(providers.values());
        allProviders.add(new ErrorMapper());
        allProviders.add(new WriteMetricsFilter(() -> listeners,
                collection -> expectedSources.contains(collection) || sources.find(collection).isPresent()));
        factory.setProviders(allProviders);
        Server server = factory.create();
        CXFNonSpringServlet cxfServlet = new CXFNonSpringServlet(registry, false);
        cxfServlet.setBus(bus);
        Application next = new Application(bus, server, cxfServlet);
        try {
            front.swap(cxfServlet);
        } catch (ServletException e) {
            next.destroy();
            throw new IllegalStateException("Cannot start the JAX-RS servlet", e);
        }
        Application previous = current;
        current = next;
        logger.debug("JAX-RS application rebuilt: {} resources, {} providers", beans.size(), allProviders.size());
        if (previous != null) {
            scheduler.schedule(previous::destroy, RETIRE_AFTER_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** The servlet registered once on the whiteboard; it forwards to the current application's servlet. */
    private static final class SwappableServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private transient volatile CXFNonSpringServlet delegate;
        private transient ServletConfig config;

        @Override
        public synchronized void init(ServletConfig servletConfig) throws ServletException {
            super.init(servletConfig);
            this.config = servletConfig;
            if (delegate != null) {
                delegate.init(servletConfig);
            }
        }

        /** Initialises {@code next} when the container has initialised this servlet, then makes it current. */
        synchronized void swap(CXFNonSpringServlet next) throws ServletException {
            if (config != null) {
                next.init(config);
            }
            delegate = next;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
            delegate.service(request, response);
        }
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
        synchronized (this) {
            active = false;
        }
        context.removeBundleListener(drain);
        drain.release();
        servlet.unregister();
        scheduler.shutdownNow().forEach(Runnable::run);
        if (current != null) {
            current.destroy();
        }
    }
}
