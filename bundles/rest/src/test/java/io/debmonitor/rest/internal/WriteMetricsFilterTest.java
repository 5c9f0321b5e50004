package io.debmonitor.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.core.UriInfo;

import org.junit.Test;

import io.debmonitor.core.model.api.ActivityListener;

/** Which requests count as v1 writes, and under which source. */
public class WriteMetricsFilterTest {

    @Test
    public void v1WritesAreNamedByTheirCollection() {
        assertEquals("hosts", WriteMetricsFilter.source("POST", "hosts/db1001.example.org/update"));
        assertEquals("images", WriteMetricsFilter.source("POST", "/images/registry.example.org/app:1/update"));
        assertEquals("kubernetes", WriteMetricsFilter.source("POST", "kubernetes/update"));
        assertEquals("hosts", WriteMetricsFilter.source("DELETE", "hosts/db1001.example.org"));
        assertEquals("images", WriteMetricsFilter.source("DELETE", "images/registry.example.org/app:1"));
    }

    @Test
    public void listenersHearEachWriteUnderABoundedSource() {
        List<String> heard = new ArrayList<>();
        ActivityListener listener = new ActivityListener() {
            @Override
            public void requestServed(String source, String updateType, int status, long nanos) {
                heard.add(source + " " + updateType + " " + status + (nanos >= 0 ? "" : " negative time"));
            }
        };
        WriteMetricsFilter filter = new WriteMetricsFilter(() -> List.of(listener), "hosts"::equals);
        serve(filter, "POST", "hosts/db1001.example.org/update", "full", 201);
        serve(filter, "POST", "made-up-1/x/update", null, 404);
        serve(filter, "DELETE", "made-up-2/x", null, 404);
        serve(filter, "POST", "kubernetes/update", "snapshot", 202);
        serve(filter, "GET", "hosts/db1001.example.org", null, 200);
        assertEquals(List.of("hosts full 201", "other unknown 404", "other delete 404", "kubernetes snapshot 202"), heard);
    }

    /** Runs the request and response filters over one request, as CXF would. */
    private static void serve(WriteMetricsFilter filter, String method, String path, String updateType, int status) {
        Map<String, Object> properties = new HashMap<>();
        UriInfo uri = stub(UriInfo.class, Map.of("getPath", args -> path));
        ContainerRequestContext request = stub(ContainerRequestContext.class, Map.of(
                "getMethod", args -> method,
                "getUriInfo", args -> uri,
                "setProperty", args -> properties.put((String) args[0], args[1]),
                "getProperty", args -> properties.get((String) args[0])));
        filter.filter(request);
        if (updateType != null) {
            properties.put(WriteMetricsFilter.UPDATE_TYPE, updateType);
        }
        filter.filter(request, stub(ContainerResponseContext.class, Map.of("getStatus", args -> status)));
    }

    private static <T> T stub(Class<T> type, Map<String, Function<Object[], Object>> answers) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Function<Object[], Object> answer = answers.get(method.getName());
            if (answer == null) {
                throw new AssertionError("unexpected call of " + method);
            }
            return answer.apply(args);
        }));
    }

    @Test
    public void pagesAndOtherRequestsAreNot() {
        assertNull(WriteMetricsFilter.source("GET", "hosts/db1001.example.org"));
        assertNull(WriteMetricsFilter.source("GET", "hosts/x/update"));
        assertNull(WriteMetricsFilter.source("POST", "login"));
        assertNull(WriteMetricsFilter.source("POST", "logout"));
        assertNull(WriteMetricsFilter.source("POST", "hosts/x"));
        assertNull(WriteMetricsFilter.source("DELETE", "hosts/"));
        assertNull(WriteMetricsFilter.source("DELETE", "auth-check"));
    }
}
