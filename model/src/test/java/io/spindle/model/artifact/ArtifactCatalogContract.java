package io.spindle.model.artifact;

import static io.spindle.model.testsupport.StoreFixtures.T0;
import static io.spindle.model.testsupport.StoreFixtures.artifact;
import static io.spindle.model.testsupport.StoreFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ArtifactCatalog} promises, run once against each implementation (in memory here, MongoDB in
 * cluster-node) by a subclass that supplies a fresh, empty catalog per test.
 */
public abstract class ArtifactCatalogContract {
    protected ArtifactCatalog catalog;

    protected abstract ArtifactCatalog newCatalog();

    @BeforeEach
    void freshCatalog() {
        catalog = newCatalog();
    }

    @Test
    void artifactsRoundTripAndListPerJobOldestFirst() {
        Artifact late = artifact("art-1", "j1", T0.plusSeconds(5));
        Artifact early = artifact("art-2", "j1", T0.plusMillis(500));
        Artifact tieA = artifact("art-3", "j1", T0.plusSeconds(5));
        Artifact other = artifact("art-4", "j2", T0);
        await(catalog.putArtifacts(List.of(late, early, tieA, other)));
        assertEquals(Optional.of(late), await(catalog.artifact("art-1")));
        assertEquals(Optional.empty(), await(catalog.artifact("nope")));
        assertEquals(List.of(early, late, tieA), await(catalog.artifactsOfJob("j1")));
        assertEquals(List.of(), await(catalog.artifactsOfJob("nope")));
        Artifact replaced = new Artifact("art-4", "j2", 2, "sdxl-base", 2, "image", "image/png", 99, "cd".repeat(32),
                "s3://spindle/art-4", "w2", "node-b", T0, List.of());
        await(catalog.putArtifacts(List.of(replaced)));
        assertEquals(List.of(replaced), await(catalog.artifactsOfJob("j2")));
        await(catalog.putArtifacts(List.of()));
    }

    @Test
    void childrenAreTheArtifactsNamingAParentOldestFirst() {
        Artifact video = artifact("art-video", "j1", T0);
        Artifact thumb = child("art-thumb", "j2", T0.plusSeconds(2), List.of("art-video"));
        Artifact transcoded = child("art-webm", "j3", T0.plusSeconds(1), List.of("art-video"));
        Artifact slideshow = child("art-show", "j4", T0.plusSeconds(3), List.of("art-thumb", "art-video"));
        await(catalog.putArtifacts(List.of(video, thumb, transcoded, slideshow)));
        assertEquals(List.of(transcoded, thumb, slideshow), await(catalog.childrenOf("art-video", 10)));
        assertEquals(List.of(transcoded, thumb), await(catalog.childrenOf("art-video", 2)));
        assertEquals(List.of(slideshow), await(catalog.childrenOf("art-thumb", 10)));
        assertEquals(List.of(), await(catalog.childrenOf("art-show", 10)));
    }

    private static Artifact child(String id, String jobId, java.time.Instant at, List<String> parents) {
        return new Artifact(id, jobId, 1, "video-ffmpeg", 1, "video", "video/mp4", 10, "ab".repeat(32), "s3://spindle/" + id, "w1",
                "node-a", at, parents);
    }
}
