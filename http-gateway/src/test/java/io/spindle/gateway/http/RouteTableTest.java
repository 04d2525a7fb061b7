package io.spindle.gateway.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static final RouteTable TABLE = new RouteTable(List.of(
            Endpoint.get("/jobs/{id}", p -> complete("job " + p.get("id"))),
            Endpoint.post("/jobs/batch", p -> complete("batch")),
            Endpoint.get("/health", p -> complete("ok")).withoutAuth()));

    @Test
    void literalSegmentsWinOverParameters() {
        assertEquals("/jobs/batch", TABLE.find(HttpRequest.POST("/jobs/batch")).orElseThrow().endpoint().path());
        RouteTable.Match job = TABLE.find(HttpRequest.GET("/jobs/batch")).orElseThrow();
        assertEquals("/jobs/{id}", job.endpoint().path());
        assertEquals("batch", job.params().get("id"));
    }

    @Test
    void pathParametersAreDecodedAndTemplatesNameRoutes() {
        assertEquals("a b", TABLE.find(HttpRequest.GET("/jobs/a%20b")).orElseThrow().params().get("id"));
        assertEquals("/jobs/{id}", TABLE.template(HttpRequest.DELETE("/jobs/x")).orElseThrow());
        assertEquals(true, TABLE.find(HttpRequest.GET("/jobs/")).isEmpty());
        assertEquals(true, TABLE.find(HttpRequest.GET("/health")).orElseThrow().endpoint().open());
    }

    @Test
    void anEndpointCannotBeListedTwiceOrEndInASlash() {
        assertThrows(IllegalArgumentException.class, () -> new RouteTable(List.of(
                Endpoint.get("/a", p -> complete("1")), Endpoint.get("/a", p -> complete("2")))));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.get("/a/", p -> complete("1")));
        assertEquals(List.of(HttpMethods.GET), TABLE.methodsOf("/health"));
    }
}
