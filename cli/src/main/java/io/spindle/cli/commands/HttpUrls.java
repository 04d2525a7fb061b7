package io.spindle.cli.commands;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/** The check behind the URL options (--server, --management): an http(s) URL of a host, without query or fragment. */
final class HttpUrls {
    private HttpUrls() {}

    static Optional<URI> parse(String value) {
        try {
            URI uri = new URI(value.strip());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getQuery() == null && uri.getFragment() == null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // not a URL at all: empty, like any other URL that is not a server's
        }
        return Optional.empty();
    }
}
