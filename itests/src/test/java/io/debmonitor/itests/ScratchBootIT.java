package io.debmonitor.itests;

import static org.junit.Assert.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.Test;
import org.ops4j.pax.exam.ExamSystem;
import org.ops4j.pax.exam.TestContainer;
import org.ops4j.pax.exam.spi.PaxExamRuntime;

public class ScratchBootIT {
    @Test
    public void boot() throws Exception {
        ItestSupport.Distribution d = ItestSupport.distribution("ScratchBootIT");
        ExamSystem system = PaxExamRuntime.createTestSystem(d.options().toArray(new org.ops4j.pax.exam.Option[0]));
        TestContainer container = PaxExamRuntime.createContainer(system);
        long t0 = System.nanoTime();
        container.start();
        org.slf4j.LoggerFactory.getLogger("scratch").info("started in {} ms", (System.nanoTime() - t0) / 1_000_000);
        try {
            var client = ItestSupport.tlsClient(d.pki().toPath().resolve("ca.pem"), null);
            HttpResponse<String> r = null;
            for (int i = 0; i < 240; i++) {
                try {
                    r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://localhost:" + d.httpsPort() + "/healthz")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) break;
                } catch (java.io.IOException e) { }
                Thread.sleep(500);
            }
            org.slf4j.LoggerFactory.getLogger("scratch").info("healthz {} {} after {} ms", r == null ? -1 : r.statusCode(), r == null ? "" : r.body(), (System.nanoTime() - t0) / 1_000_000);
        } finally {
            long t1 = System.nanoTime();
            container.stop();
            org.slf4j.LoggerFactory.getLogger("scratch").info("stopped in {} ms", (System.nanoTime() - t1) / 1_000_000);
        }
    }
}
