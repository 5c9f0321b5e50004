package io.debmonitor.rest.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.DELETE;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;

import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.AuditAction;
import io.debmonitor.core.model.api.AuditService;
import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.InvalidReportException;
import io.debmonitor.core.model.api.KubernetesService;
import io.debmonitor.core.model.api.KubernetesSnapshotDTO;
import io.debmonitor.core.model.api.PackageSources;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.ReportService;
import io.debmonitor.core.model.spi.PackageSource;
import io.debmonitor.core.model.v1.KubernetesSnapshotReader;

/**
 * The v1 write endpoints: {@code POST /<collection>/<name>/update} and
 * {@code DELETE /<collection>/<name>} for every installed package source (SPEC §1.1, §1.9), and
 * {@code POST /kubernetes/update} (SPEC §1.8). The collection picks the source and with it the
 * entity kind, whose name rule both methods apply; the name may hold '/' (image references).
 * Kubernetes snapshots are a core endpoint, not a source: their rows reference images of any
 * source, deletes and GC consult them, and the payload has one fixed format with no name.
 */
@Path("/")
public class ReportResource {

    private final PackageSources sources;
    private final ReportService reports;
    private final EntityService entities;
    private final KubernetesService kubernetes;
    private final KubernetesSnapshotReader snapshotReader = new KubernetesSnapshotReader();
    private final AccessService access;
    private final AuditService audit;
    private final long maxBodyBytes;
    private final Set<String> expectedSources;

    ReportResource(PackageSources sources, ReportService reports, EntityService entities, KubernetesService kubernetes,
            AccessService access, AuditService audit, long maxBodyBytes, Set<String> expectedSources) {
        this.sources = sources;
        this.reports = reports;
        this.entities = entities;
        this.kubernetes = kubernetes;
        this.access = access;
        this.audit = audit;
        this.maxBodyBytes = maxBodyBytes;
        this.expectedSources = expectedSources;
    }

    @POST
    @Path("{collection}/{name: .+}/update")
    public Response update(@PathParam("collection") String collection, @PathParam("name") String name,
            @Context HttpServletRequest request, InputStream body) throws InvalidReportException, IOException {
        PackageSource source = writableSource(collection, name, request);
        byte[] bytes = body(request, body);
        ReportDTO report = source.read(name, bytes);
        request.setAttribute(WriteMetricsFilter.UPDATE_TYPE, report.updateType().wireName());
        reports.apply(source.kind(), name, report);
        return Response.status(201).build();
    }

    @POST
    @Path("kubernetes/update")
    public Response kubernetes(@Context HttpServletRequest request, InputStream body) throws InvalidReportException, IOException {
        String refusal = access.kubernetesRefusal(SecurityFilter.caller(request));
        if (refusal != null) {
            throw new WebApplicationException(ErrorResponses.error(403, refusal).build());
        }
        request.setAttribute(WriteMetricsFilter.UPDATE_TYPE, "snapshot");
        KubernetesSnapshotDTO snapshot = snapshotReader.read(body(request, body));
        List<String> missing = kubernetes.apply(snapshot);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("missing", missing);
        List<Map<String, Object>> errors = new ArrayList<>();
        for (KubernetesSnapshotDTO.Error error : snapshot.errors()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("image", error.image());
            item.put("cluster", error.cluster());
            item.put("namespace", error.namespace());
            item.put("error", error.error());
            errors.add(item);
        }
        answer.put("errors", errors);
        boolean success = missing.isEmpty() && errors.isEmpty();
        answer.put("success", success);
        return Response.status(success ? 201 : 202).entity(ErrorResponses.json(answer)).type(ErrorResponses.JSON).build();
    }

    @DELETE
    @Path("{collection}/{name: .+}")
    public Response delete(@PathParam("collection") String collection, @PathParam("name") String name,
            @Context HttpServletRequest request) throws InvalidReportException {
        PackageSource source = writableSource(collection, name, request);
        long rows = entities.delete(source.kind(), name);
        if (rows < 0) {
            return ErrorResponses.error(404, "No " + source.kind().word() + " named '" + name + "'.").build();
        }
        audit.record(actor(SecurityFilter.caller(request)),
                source.kind() == EntityKind.HOST ? AuditAction.HOST_REMOVED : AuditAction.IMAGE_REMOVED, name,
                rows + " package rows, from " + request.getRemoteAddr());
        return Response.noContent().build();
    }

    /** @return {@code cert:} and the caller's verified identities, sorted and comma-separated */
    static String actor(CallerDTO caller) {
        return "cert:" + String.join(",", new TreeSet<>(caller.identities()));
    }

    /**
     * The source serving the collection, once the name is valid and the caller may write it.
     * Authorization comes before existence and before the body is read (SPEC §1.9).
     */
    private PackageSource writableSource(String collection, String name, HttpServletRequest request)
            throws InvalidReportException {
        PackageSource source = sources.find(collection).orElseThrow(() -> new WebApplicationException(
                expectedSources.contains(collection)
                        ? ErrorResponses.error(503, "The package source for /" + collection + "/ is not running yet; retry later.")
                                .header("Retry-After", "5").build()
                        : ErrorResponses.error(404, "No package source serves /" + collection + "/.").build()));
        if (request.getRequestURI() != null && request.getRequestURI().contains("//")) {
            // The container merges empty segments before routing, so the name alone cannot show one.
            throw new InvalidReportException("The path must not contain an empty segment ('//').");
        }
        entities.checkName(source.kind(), name);
        String refusal = access.writeRefusal(SecurityFilter.caller(request), source.kind(), name);
        if (refusal != null) {
            throw new WebApplicationException(ErrorResponses.error(403, refusal).build());
        }
        return source;
    }

    /** The request body, refused with 413 as soon as it proves larger than the limit (the rest is not read). */
    private byte[] body(HttpServletRequest request, InputStream body) throws IOException {
        byte[] bytes = request.getContentLengthLong() > maxBodyBytes ? null : readAtMost(body, maxBodyBytes);
        if (bytes == null) {
            throw new WebApplicationException(
                    ErrorResponses.error(413, "The request body is larger than " + maxBodyBytes + " bytes.").build());
        }
        return bytes;
    }

    /** @return the body, or null as soon as it proves longer than {@code limit} (the rest is not read) */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > limit) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
