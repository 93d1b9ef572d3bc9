package io.opskit.core.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class CorrelationIdFormatTest {

    @Test
    void customAlphabetAndLengthAreHonoured() {
        CorrelationIdFormat hexOnly = CorrelationIdFormat.builder().maxLength(8).allowedCharacters("0123456789abcdef").build();
        assertThat(hexOnly.isValid("deadbeef")).isTrue();
        assertThat(hexOnly.isValid("deadbeef0")).isFalse();
        assertThat(hexOnly.isValid("DEADBEEF")).isFalse();
        assertThat(hexOnly).isEqualTo(CorrelationIdFormat.builder().maxLength(8).allowedCharacters("0123456789abcdef").build());
    }

    @Test
    void builderRejectsBadLengthsWithAMessageNamingFieldValueAndFix() {
        assertThatIllegalArgumentException().isThrownBy(() -> CorrelationIdFormat.builder().maxLength(0))
                .withMessage("maxLength must be between 1 and 1024, but was 0: use e.g. 128");
    }

    @Test
    void builderRejectsCharactersThatWouldBreakAHeaderOrALogLine() {
        assertThatIllegalArgumentException().isThrownBy(() -> CorrelationIdFormat.builder().allowedCharacters("ab\n"))
                .withMessageContaining("allowedCharacters").withMessageContaining("U+000A");
        assertThatIllegalArgumentException().isThrownBy(() -> CorrelationIdFormat.builder().allowedCharacters("a\"b"))
                .withMessageContaining("U+0022");
        assertThatIllegalArgumentException().isThrownBy(() -> CorrelationIdFormat.builder().allowedCharacters(""))
                .withMessageContaining("must not be empty");
    }
}
