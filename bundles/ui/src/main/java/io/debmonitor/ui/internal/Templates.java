package io.debmonitor.ui.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

import org.osgi.service.component.annotations.Component;

import freemarker.cache.ClassTemplateLoader;
import freemarker.core.HTMLOutputFormat;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.SimpleScalar;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateScalarModel;

/**
 * Renders the UI's FreeMarker templates ({@code templates/*.ftlh} in this bundle, HTML
 * auto-escaping on). One FreeMarker configuration is built per activation; it depends on no
 * configuration. Every template sees these shared variables besides its model:
 * <ul>
 * <li>{@code static}: the URL prefix of the static files, e.g. {@code /static/0a1b2c3d4e5f};</li>
 * <li>{@code ago(iso)} and {@code utc(iso)}: an ISO time as "3 hours ago" and as "2025-07-03 14:10:09 UTC".</li>
 * </ul>
 * The layout is the macro {@code page} of {@code base.ftlh} ({@code <#import "/base.ftlh" as b>}
 * then {@code <@b.page title="…" section="hosts">…</@b.page>}); it reads the model key
 * {@code searchMinLength} ({@code search.minLength}, which {@link Pages#render} adds) and the
 * optional keys {@code session} (with {@code user} and {@code csrfToken}, e.g. a
 * {@code SessionDTO}), {@code identity} (a certificate identity) and {@code query} (the search
 * box's text).
 */
@Component(service = Templates.class)
public class Templates {

    private final Configuration freemarker;

    public Templates() {
        this(Clock.systemUTC());
    }

    Templates(Clock clock) {
        freemarker = new Configuration(Configuration.VERSION_2_3_34);
        freemarker.setTemplateLoader(new ClassTemplateLoader(Templates.class, "/templates"));
        freemarker.setDefaultEncoding("UTF-8");
        freemarker.setOutputEncoding("UTF-8");
        freemarker.setOutputFormat(HTMLOutputFormat.INSTANCE);
        freemarker.setRecognizeStandardFileExtensions(true);
        freemarker.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        freemarker.setLogTemplateExceptions(false);
        freemarker.setWrapUncheckedExceptions(true);
        freemarker.setFallbackOnNullLoopVariable(false);
        freemarker.setAPIBuiltinEnabled(false);
        freemarker.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        freemarker.setLocale(Locale.US);
        freemarker.setTimeZone(TimeZone.getTimeZone("UTC"));
        // The templates are inside the bundle: they never change while it runs.
        freemarker.setTemplateUpdateDelayMilliseconds(Long.MAX_VALUE);
        freemarker.setSharedVariable("static", new SimpleScalar(new StaticFiles().base()));
        freemarker.setSharedVariable("ago", (TemplateMethodModelEx) arguments -> Times.relative(instant(arguments), clock.instant()));
        freemarker.setSharedVariable("utc", (TemplateMethodModelEx) arguments -> Times.utc(instant(arguments)));
    }

    /**
     * @param template a path under {@code templates/}, e.g. {@code hosts/index.ftlh}
     * @param model    the template's variables
     * @return the page
     * @throws IllegalStateException when the template is missing or fails: a bug of this bundle
     */
    public String render(String template, Map<String, Object> model) {
        try {
            StringWriter out = new StringWriter(8192);
            freemarker.getTemplate(template).process(model, out);
            return out.toString();
        } catch (IOException | TemplateException e) {
            throw new IllegalStateException("Cannot render template " + template + ": " + e.getMessage(), e);
        }
    }

    private static Instant instant(List<?> arguments) throws TemplateModelException {
        if (arguments.size() != 1 || !(arguments.get(0) instanceof TemplateScalarModel text)) {
            throw new TemplateModelException("Expects one ISO-8601 time string");
        }
        try {
            return Instant.parse(text.getAsString());
        } catch (DateTimeParseException e) {
            throw new TemplateModelException("Not an ISO-8601 time: " + text.getAsString(), e);
        }
    }
}
