package io.debmonitor.shell.internal;

import static io.debmonitor.shell.internal.Fixtures.host;
import static io.debmonitor.shell.internal.Fixtures.image;
import static org.junit.Assert.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.console.Session;
import org.junit.Test;

import io.debmonitor.core.model.api.AuditAction;
import io.debmonitor.core.model.api.AuditService;
import io.debmonitor.core.model.api.EntityInUseException;
import io.debmonitor.core.model.api.EntityKind;
import io.debmonitor.core.model.api.EntityService;
import io.debmonitor.core.model.api.KubernetesRowDTO;
import io.debmonitor.core.model.api.KubernetesService;

public class RemoveTest {

    private final EntityService entities = mock(EntityService.class);
    private final KubernetesService kubernetes = mock(KubernetesService.class);
    private final Session session = mock(Session.class);
    private final AuditService audit = mock(AuditService.class);

    private HostRemove hostRemove(boolean force, String... names) {
        HostRemove command = new HostRemove();
        command.entities = entities;
        command.audit = audit;
        command.session = session;
        command.force = force;
        command.names = List.of(names);
        return command;
    }

    @Test
    public void hostRemoveAsksAndRemovesOnYes() throws Exception {
        when(entities.find(EntityKind.HOST, "a")).thenReturn(Optional.of(host("a", 12, 0, 0)));
        when(entities.find(EntityKind.HOST, "b")).thenReturn(Optional.of(host("b", 3, 0, 0)));
        when(session.readLine("Remove host a (12 packages)? [y/N] ", null)).thenReturn(" Yes ");
        when(session.readLine("Remove host b (3 packages)? [y/N] ", null)).thenReturn("y");
        when(entities.delete(EntityKind.HOST, "a")).thenReturn(12L);
        when(entities.delete(EntityKind.HOST, "b")).thenReturn(3L);
        assertEquals(List.of("Removed host a (12 packages)", "Removed host b (3 packages)"), Console.run(hostRemove(false, "a", "b")));
        verify(audit).record("shell:unknown", AuditAction.HOST_REMOVED, "a", "12 package rows");
        verify(audit).record("shell:unknown", AuditAction.HOST_REMOVED, "b", "3 package rows");
    }

    @Test
    public void hostRemoveKeepsTheHostUnlessTheAnswerIsYes() throws Exception {
        when(entities.find(EntityKind.HOST, "a")).thenReturn(Optional.of(host("a", 12, 0, 0)));
        for (String answer : new String[] {"", "n", "no", "yess", null}) {
            when(session.readLine(anyString(), any())).thenReturn(answer);
            assertEquals(List.of(), Console.run(hostRemove(false, "a")));
        }
        verify(entities, never()).delete(any(), any());
    }

    @Test
    public void hostRemoveWithoutATerminalAsksForForce() throws Exception {
        when(entities.find(EntityKind.HOST, "a")).thenReturn(Optional.of(host("a", 12, 0, 0)));
        when(session.readLine(anyString(), any())).thenThrow(new UnsupportedOperationException());
        assertEquals("Cannot ask for confirmation without a terminal; use --force", Console.fail(hostRemove(false, "a")).message());
        verify(entities, never()).delete(any(), any());
    }

    @Test
    public void hostRemoveWithForceDoesNotAsk() throws Exception {
        when(entities.find(EntityKind.HOST, "a")).thenReturn(Optional.of(host("a", 12, 0, 0)));
        when(entities.delete(EntityKind.HOST, "a")).thenReturn(12L);
        assertEquals(List.of("Removed host a (12 packages)"), Console.run(hostRemove(true, "a")));
        verifyNoInteractions(session);
    }

    @Test
    public void hostRemoveReportsEachUnknownNameAndFailsAfterTheOthers() throws Exception {
        when(entities.find(EntityKind.HOST, "a")).thenReturn(Optional.of(host("a", 1, 0, 0)));
        when(entities.find(EntityKind.HOST, "x")).thenReturn(Optional.empty());
        when(entities.find(EntityKind.HOST, "y")).thenReturn(Optional.empty());
        when(entities.delete(EntityKind.HOST, "a")).thenReturn(1L);
        Console.Failure failure = Console.fail(hostRemove(true, "x", "a", "y"));
        assertEquals(List.of("No host named 'x'", "Removed host a (1 packages)", "No host named 'y'"), failure.printed());
        assertEquals("No hosts named 'x', 'y'", failure.message());
    }

    @Test
    public void hostRemoveOfAHostDeletedMeanwhileCountsAsUnknown() throws Exception {
        when(entities.find(EntityKind.HOST, "a")).thenReturn(Optional.of(host("a", 1, 0, 0)));
        when(entities.delete(EntityKind.HOST, "a")).thenReturn(-1L);
        Console.Failure failure = Console.fail(hostRemove(true, "a"));
        assertEquals(List.of("No host named 'a'"), failure.printed());
        assertEquals("No host named 'a'", failure.message());
    }

    private ImageRemove imageRemove(boolean force, String... refs) {
        ImageRemove command = new ImageRemove();
        command.entities = entities;
        command.audit = audit;
        command.kubernetes = kubernetes;
        command.session = session;
        command.force = force;
        command.refs = List.of(refs);
        return command;
    }

    @Test
    public void imageRemoveAsksThenRemovesAnUnusedImage() throws Exception {
        when(entities.find(EntityKind.IMAGE, "r:1")).thenReturn(Optional.of(image("r:1", 4, 0)));
        when(kubernetes.ofImage("r:1")).thenReturn(List.of());
        when(session.readLine("Remove image r:1 (4 packages)? [y/N] ", null)).thenReturn("n", "yes");
        when(entities.delete(EntityKind.IMAGE, "r:1")).thenReturn(4L);
        assertEquals(List.of(), Console.run(imageRemove(false, "r:1")));
        verify(entities, never()).delete(any(), any());
        assertEquals(List.of("Removed image r:1 (4 packages)"), Console.run(imageRemove(false, "r:1")));
    }

    @Test
    public void imageRemoveOfAnImageTakenIntoUseMeanwhileIsRefused() throws Exception {
        when(entities.find(EntityKind.IMAGE, "r:1")).thenReturn(Optional.of(image("r:1", 4, 0)));
        when(kubernetes.ofImage("r:1")).thenReturn(List.of());
        when(session.readLine(anyString(), any())).thenReturn("y");
        when(entities.delete(EntityKind.IMAGE, "r:1")).thenThrow(new EntityInUseException("r:1", List.of("eqiad")));
        Console.Failure failure = Console.fail(imageRemove(false, "r:1"));
        assertEquals(List.of("Image r:1 is in use in clusters eqiad; not removed (--force removes its kubernetes rows too)"),
                failure.printed());
        assertEquals("Not removed: image 'r:1'", failure.message());
    }

    @Test
    public void imageRemoveRefusesAnImageInUseNamingItsClusters() throws Exception {
        when(entities.find(EntityKind.IMAGE, "r:1")).thenReturn(Optional.of(image("r:1", 4, 3)));
        when(kubernetes.ofImage("r:1")).thenReturn(List.of(
                new KubernetesRowDTO("eqiad", "a", "r:1", "Debian 12", 1, Fixtures.MODIFIED),
                new KubernetesRowDTO("eqiad", "b", "r:1", "Debian 12", 1, Fixtures.MODIFIED),
                new KubernetesRowDTO("codfw", "a", "r:1", "Debian 12", 1, Fixtures.MODIFIED)));
        when(entities.find(EntityKind.IMAGE, "gone:1")).thenReturn(Optional.empty());
        Console.Failure failure = Console.fail(imageRemove(false, "r:1", "gone:1"));
        assertEquals(List.of("Image r:1 is in use in clusters codfw, eqiad; not removed (--force removes its kubernetes rows too)",
                "No image named 'gone:1'"), failure.printed());
        assertEquals("Not removed: images 'r:1', 'gone:1'", failure.message());
        verify(entities, never()).delete(any(), any());
        verifyNoInteractions(session);

        when(entities.deleteEvenInUse(EntityKind.IMAGE, "r:1")).thenReturn(4L);
        assertEquals(List.of("Removed image r:1 (4 packages, 3 kubernetes rows)"), Console.run(imageRemove(true, "r:1")));
        verify(audit).record("shell:unknown", AuditAction.IMAGE_REMOVED, "r:1", "4 packages, 3 kubernetes rows");
        verifyNoInteractions(session);
    }
}
