package io.debmonitor.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;

import org.junit.Test;

import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.AuditService;
import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.KubernetesService;
import io.debmonitor.core.model.api.PackageSources;
import io.debmonitor.core.model.api.ReportService;
import io.debmonitor.core.model.spi.PackageSource;

/** DELETE of a host or image (SPEC §1.9) and its audit event (issue #11). */
public class ReportResourceTest {

    private static final CallerDTO CUMIN = new CallerDTO(Set.of("cumin1001.example.org", "cumin.example.org"), null, true, null);

    private final List<String> recorded = new ArrayList<>();
    private final List<String> deleted = new ArrayList<>();
    private long deletedRows = 42;
    private String refusal;

    private final ReportResource resource = new ReportResource(
            stub(PackageSources.class, Map.of("find", args -> Optional.of(source((String) args[0])))),
            stub(ReportService.class, Map.of()),
            stub(EntityService.class, Map.of("checkName", args -> null, "delete", args -> {
                deleted.add(args[0] + " " + args[1]);
                return deletedRows;
            })),
            stub(KubernetesService.class, Map.of()),
            stub(AccessService.class, Map.of("writeRefusal", args -> refusal)),
            stub(AuditService.class, Map.of("record", args -> recorded.add(args[0] + " | " + args[1] + " | " + args[2] + " | " + args[3]))),
            1000, Set.of("hosts", "images"));

    @Test
    public void aDeletedHostIsAuditedWithTheCallersIdentities() throws Exception {
        Response response = resource.delete("hosts", "db1001.example.org", request(CUMIN));
        assertEquals(204, response.getStatus());
        assertEquals(List.of("HOST db1001.example.org"), deleted);
        assertEquals(List.of("cert:cumin.example.org,cumin1001.example.org | HOST_REMOVED | db1001.example.org | 42 package rows, from 192.0.2.7"),
                recorded);
    }

    @Test
    public void aDeletedImageIsAuditedAsAnImage() throws Exception {
        deletedRows = 0;
        assertEquals(204, resource.delete("images", "registry.example.org/a/b:1", request(CUMIN)).getStatus());
        assertEquals(List.of("cert:cumin.example.org,cumin1001.example.org | IMAGE_REMOVED | registry.example.org/a/b:1 | 0 package rows, from 192.0.2.7"),
                recorded);
    }

    @Test
    public void nothingDeletedIsNotAudited() throws Exception {
        deletedRows = -1;
        assertEquals(404, resource.delete("hosts", "gone.example.org", request(CUMIN)).getStatus());
        assertEquals(List.of(), recorded);
    }

    @Test
    public void aRefusedDeleteIsNotAudited() {
        refusal = "Unauthorized to modify host 'db1001.example.org' with identity 'cumin1001.example.org'";
        WebApplicationException e = assertThrows(WebApplicationException.class,
                () -> resource.delete("hosts", "db1001.example.org", request(CUMIN)));
        assertEquals(403, e.getResponse().getStatus());
        assertEquals(List.of(), deleted);
        assertEquals(List.of(), recorded);
    }

    private static PackageSource source(String collection) {
        EntityKind kind = collection.equals("hosts") ? EntityKind.HOST : EntityKind.IMAGE;
        return stub(PackageSource.class, Map.of("kind", args -> kind));
    }

    private static HttpServletRequest request(CallerDTO caller) {
        return stub(HttpServletRequest.class, Map.of(
                "getAttribute", args -> CallerDTO.REQUEST_ATTRIBUTE.equals(args[0]) ? caller : null,
                "getRemoteAddr", args -> "192.0.2.7",
                "getRequestURI", args -> "/hosts/db1001.example.org",
                "isSecure", args -> true));
    }

    /** An implementation of {@code type} answering the named methods; any other call fails the test. */
    private static <T> T stub(Class<T> type, Map<String, Function<Object[], Object>> answers) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Function<Object[], Object> answer = answers.get(method.getName());
            if (answer == null) {
                throw new AssertionError("unexpected call of " + method);
            }
            return answer.apply(args);
        }));
    }
}
