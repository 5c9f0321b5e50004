package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

import javax.ws.rs.HttpMethod;
import javax.ws.rs.Path;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The OpenAPI document the server serves (rest's openapi.json) names every JAX-RS resource method
 * of every DebMonitor bundle: a route added without documenting it fails this test.
 */
public class OpenApiCoverageTest {

    @Test
    public void everyResourceMethodIsDocumented() throws Exception {
        JsonNode document;
        try (InputStream in = getClass().getResourceAsStream("/openapi.json")) {
            document = new ObjectMapper().readTree(in);
        }
        assertTrue("openapi.json has paths", document.path("paths").size() > 10);
        List<String> routes = routes();
        assertTrue("found the resources of rest and ui: " + routes, routes.size() > 15);
        List<String> missing = new ArrayList<>();
        for (String route : routes) {
            String method = route.substring(0, route.indexOf(' '));
            Pattern template = templatePattern(route.substring(route.indexOf(' ') + 1));
            boolean documented = false;
            for (Iterator<String> it = document.path("paths").fieldNames(); it.hasNext() && !documented; ) {
                String path = it.next();
                documented = template.matcher(path).matches() && document.path("paths").path(path).has(method.toLowerCase(Locale.ROOT));
            }
            if (!documented) {
                missing.add(route);
            }
        }
        assertEquals("Resource methods missing from openapi.json", List.of(), missing);
    }

    /**
     * A resource template as a pattern over the document's paths: a template variable matches
     * one literal segment or one documented variable ({@code {collection}} matches {@code hosts});
     * a variable with a regex that crosses segments ({@code {name: .+}}) matches one or more.
     */
    static Pattern templatePattern(String template) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int end = template.indexOf('}', i);
                String variable = template.substring(i + 1, end);
                regex.append(variable.contains(".+") ? "(?:[^/]+(?:/[^/]+)*)" : "(?:[^/{}]+|\\{[^/}]+\\})");
                i = end + 1;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** {@code "GET /hosts/{name}"} for every resource method of the DebMonitor bundles on the class path. */
    private static List<String> routes() throws IOException, ClassNotFoundException {
        TreeSet<String> routes = new TreeSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = new File(entry).getName();
            if (!(name.startsWith("debmonitor-rest") || name.startsWith("debmonitor-ui")) || !name.endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    String file = e.nextElement().getName();
                    if (file.endsWith(".class") && !file.contains("$")) {
                        Class<?> type = Class.forName(file.replace('/', '.').replace(".class", ""), false,
                                OpenApiCoverageTest.class.getClassLoader());
                        Path root = type.getAnnotation(Path.class);
                        if (root != null) {
                            for (Method method : type.getMethods()) {
                                String http = httpMethod(method);
                                if (http != null) {
                                    Path path = method.getAnnotation(Path.class);
                                    routes.add(http + " " + join(root.value(), path == null ? "" : path.value()));
                                }
                            }
                        }
                    }
                }
            }
        }
        return new ArrayList<>(routes);
    }

    private static String httpMethod(Method method) {
        for (var annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static String join(String root, String path) {
        String joined = ("/" + root + "/" + path).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") && !path.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
