package io.spindle.gateway.http;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.Route;

/** The success answers of the API, and completing a route from a future that may fail. */
public final class Replies {
    private Replies() {}

    public static HttpResponse ok(Object body) {
        return GatewayJson.response(StatusCodes.OK, body);
    }

    /** 201 with a Location header naming the created resource. */
    public static HttpResponse created(String location, Object body) {
        return GatewayJson.response(StatusCodes.CREATED, body, List.of(Location.create(location)));
    }

    /** Completes with the future's response, or with the error response its failure stands for. */
    public static Route respond(CompletionStage<HttpResponse> response) {
        return completeWithFuture(response.exceptionally(ApiErrors::response));
    }
}
