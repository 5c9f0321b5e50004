package io.debmonitor.imagereporter;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A glob on {@code "repository:tag"}: {@code *} and {@code ?} stay within one path component,
 * {@code **} crosses {@code /}; everything else is literal.
 */
final class Glob {

    private final String text;
    private final Pattern pattern;

    Glob(String text) {
        this.text = text;
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        this.pattern = Pattern.compile(regex.toString());
    }

    boolean matches(String candidate) {
        return pattern.matcher(candidate).matches();
    }

    @Override
    public String toString() {
        return text;
    }

    /** Include and exclude lists: no include means everything; an exclude always wins. */
    static final class Filter {
        private final List<Glob> includes = new ArrayList<>();
        private final List<Glob> excludes = new ArrayList<>();

        Filter(List<String> include, List<String> exclude) {
            include.forEach(g -> includes.add(new Glob(g)));
            exclude.forEach(g -> excludes.add(new Glob(g)));
        }

        boolean accepts(String repository, String tag) {
            String candidate = repository + ":" + tag;
            return (includes.isEmpty() || includes.stream().anyMatch(g -> g.matches(candidate)))
                    && excludes.stream().noneMatch(g -> g.matches(candidate));
        }
    }
}
