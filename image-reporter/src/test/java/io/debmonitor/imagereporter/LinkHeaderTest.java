package io.debmonitor.imagereporter;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.junit.Test;

public class LinkHeaderTest {

    private static final URI PAGE = URI.create("https://registry.example.org/v2/_catalog?n=100");

    @Test
    public void relativeNextLinkOfDockerDistribution() throws Exception {
        assertEquals(URI.create("https://registry.example.org/v2/_catalog?last=b&n=100"),
                LinkHeader.next(List.of("</v2/_catalog?last=b&n=100>; rel=\"next\""), PAGE));
    }

    @Test
    public void absoluteLinkUnquotedRelAndSeveralLinks() throws Exception {
        assertEquals(URI.create("https://other.example.org/v2/_catalog?page=2"), LinkHeader.next(List.of(
                "<https://registry.example.org/v2/_catalog?page=0>; rel=\"prev\", "
                        + "<https://other.example.org/v2/_catalog?page=2>; title=\"a, b\"; rel=next"), PAGE));
        assertEquals(URI.create("https://registry.example.org/p3"),
                LinkHeader.next(List.of("</p1>; rel=\"first\"", "</p3>; rel=\"last next\""), PAGE));
    }

    @Test
    public void noNextLink() throws Exception {
        assertNull(LinkHeader.next(List.of(), PAGE));
        assertNull(LinkHeader.next(List.of("</v2/_catalog?last=a>; rel=\"prev\""), PAGE));
        assertNull(LinkHeader.next(List.of("garbage"), PAGE));
    }

    @Test
    public void aNextLinkThatIsNotAUriIsAnError() {
        assertThrows(URISyntaxException.class,
                () -> LinkHeader.next(List.of("</v2/_catalog?last=a b>; rel=\"next\""), PAGE));
    }
}
