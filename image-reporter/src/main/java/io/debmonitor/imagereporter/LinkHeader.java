package io.debmonitor.imagereporter;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/** The {@code rel="next"} target of RFC 8288 {@code Link} headers, as registries paginate with. */
final class LinkHeader {

    private LinkHeader() {
    }

    /**
     * The next page, resolved against {@code base}; null when there is none.
     *
     * @throws URISyntaxException when the next link is not a URI
     */
    static URI next(List<String> headerValues, URI base) throws URISyntaxException {
        for (String value : headerValues) {
            int pos = 0;
            while (true) {
                int open = value.indexOf('<', pos);
                int close = open < 0 ? -1 : value.indexOf('>', open);
                if (close < 0) {
                    break;
                }
                String target = value.substring(open + 1, close).strip();
                int end = nextLinkStart(value, close + 1);
                if (isNext(value.substring(close + 1, end))) {
                    return base.resolve(new URI(target));
                }
                pos = end;
            }
        }
        return null;
    }

    /** The end of one link's parameters: the first comma outside quotes. */
    private static int nextLinkStart(String value, int from) {
        boolean quoted = false;
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                return i;
            }
        }
        return value.length();
    }

    /** Whether {@code ; rel="next"} (or rel=next, or "next" among several relations) is in the parameters. */
    private static boolean isNext(String params) {
        for (String param : params.split(";")) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).strip().equalsIgnoreCase("rel")) {
                String rel = param.substring(eq + 1).strip().replace("\"", "").toLowerCase(Locale.ROOT);
                for (String r : rel.split("\\s+")) {
                    if (r.equals("next")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
