package io.spindle.gateway.ui;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResourceDirectory;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeaders;

import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The web dashboard at {@code /ui}: static ES modules, CSS and one HTML page from the classpath
 * ({@value #RESOURCES}), served without the API token. The files hold no data: every page reads the API
 * with {@code fetch}, which sends the token the user typed in (kept in the tab's sessionStorage) as
 * {@code Authorization: Bearer}, so the API's one auth rule covers the dashboard too and no cookie
 * (hence no CSRF surface) exists.
 *
 * <p>Every answer carries a strict Content-Security-Policy (this origin only, no inline script or style;
 * {@code blob:} media for previews fetched with the token) and {@code Cache-Control: no-cache}: the file
 * names carry no version, so the browser revalidates each (ETag / Last-Modified, 304) and never runs a stale
 * module after an upgrade.
 */
public final class DashboardRoutes {
    /** Classpath folder of the dashboard's files. */
    static final String RESOURCES = "spindle-ui";
    static final String PREFIX = "ui";
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' blob: data:",
            "media-src 'self' blob:",
            "connect-src 'self'",
            "form-action 'none'",
            "frame-ancestors 'none'",
            "base-uri 'none'");

    private static final List<HttpHeader> HEADERS = List.of(
            RawHeader.create("Content-Security-Policy", CONTENT_SECURITY_POLICY),
            RawHeader.create("Cache-Control", "no-cache"),
            RawHeader.create("X-Content-Type-Options", "nosniff"),
            RawHeader.create("Referrer-Policy", "no-referrer"));

    /** The dashboard's address on the gateway at {@code apiBaseUrl} (e.g. {@code http://127.0.0.1:8080}), for a ready line. */
    public static String url(String apiBaseUrl) {
        return apiBaseUrl + "/" + PREFIX;
    }

    /** Serves {@code GET /ui}, {@code /ui/} (the page) and {@code /ui/<file>}; rejects everything else, leaving it to the API. */
    public Route route() {
        return pathPrefix(PREFIX, () -> get(() -> respondWithHeaders(HEADERS, () -> concat(
                pathEndOrSingleSlash(() -> getFromResource(RESOURCES + "/index.html")),
                getFromResourceDirectory(RESOURCES)))));
    }
}
