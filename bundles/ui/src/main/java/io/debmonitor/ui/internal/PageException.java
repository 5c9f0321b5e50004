package io.debmonitor.ui.internal;

/** A request a page refuses: answered with its status and message, as HTML or JSON like the page. */
final class PageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;

    PageException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static PageException badRequest(String message) {
        return new PageException(400, message);
    }

    static PageException notFound(String message) {
        return new PageException(404, message);
    }
}
