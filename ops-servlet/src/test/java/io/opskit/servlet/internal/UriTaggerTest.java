package io.opskit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UriTaggerTest {

    @Test
    void routesWinThenNotFoundAndRedirectionThenTheFirstSegment() {
        UriTagger tagger = new UriTagger(100);
        assertThat(tagger.tag(Optional.of("/items/{id}"), 404, "/items/7")).isEqualTo("/items/{id}");
        assertThat(tagger.tag(Optional.empty(), 404, "/nope/7")).isEqualTo(UriTagger.NOT_FOUND);
        assertThat(tagger.tag(Optional.empty(), 302, "/old")).isEqualTo(UriTagger.REDIRECTION);
        assertThat(tagger.tag(Optional.empty(), 200, "/api/items/7")).isEqualTo("/api/**");
        assertThat(tagger.tag(Optional.empty(), 200, "/ping")).isEqualTo("/ping");
        assertThat(tagger.tag(Optional.empty(), 200, "/")).isEqualTo("/");
        assertThat(tagger.tag(Optional.empty(), 200, "/<script>/x")).isEqualTo(UriTagger.UNKNOWN);
        assertThat(tagger.tag(Optional.empty(), 200, "/" + "a".repeat(41))).isEqualTo(UriTagger.UNKNOWN);
    }

    @Test
    void distinctValuesAreCappedAndTheRestAreUnknown() {
        UriTagger tagger = new UriTagger(10);
        Set<String> tags = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            tags.add(tagger.tag(Optional.empty(), 200, "/p" + i));
        }
        assertThat(tags).hasSize(11).contains(UriTagger.UNKNOWN);
    }
}
