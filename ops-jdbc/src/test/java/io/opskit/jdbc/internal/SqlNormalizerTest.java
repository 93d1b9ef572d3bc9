package io.opskit.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlNormalizerTest {

    @Test
    void stringAndNumberLiteralsBecomePlaceholders() {
        assertThat(SqlNormalizer.normalize("SELECT * FROM users WHERE name = 'O''Brien' AND age > 42 AND score = -3.5e2"))
                .isEqualTo("SELECT * FROM users WHERE name = ? AND age > ? AND score = -?");
    }

    @Test
    void escapeDollarHexAndBitStringsAreLiteralsToo() {
        assertThat(SqlNormalizer.normalize("SELECT E'it\\'s', $$secret body$$, $tag$x$tag$, X'ff', B'101', 0x1F"))
                .isEqualTo("SELECT ?, ?, ?, ?, ?, ?");
    }

    @Test
    void identifiersQuotedIdentifiersAndBindMarkersAreKept() {
        assertThat(SqlNormalizer.normalize("SELECT t1.col2, \"Weird 'name' 7\" FROM tab3 t1 WHERE id = ? OR id = $1"))
                .isEqualTo("SELECT t1.col2, \"Weird 'name' 7\" FROM tab3 t1 WHERE id = ? OR id = $1");
    }

    @Test
    void commentsGoAndWhitespaceCollapses() {
        assertThat(SqlNormalizer.normalize("/*correlation_id='abc'*/ SELECT  1 -- trailing 'x'\n\tFROM\n dual"))
                .isEqualTo("SELECT ? FROM dual");
    }

    @Test
    void listsOfAnyLengthReadTheSame() {
        assertThat(SqlNormalizer.normalize("SELECT * FROM t WHERE id IN (1, 2, 3)"))
                .isEqualTo(SqlNormalizer.normalize("SELECT * FROM t WHERE id IN (7,8)"))
                .isEqualTo("SELECT * FROM t WHERE id IN (?, …)");
        assertThat(SqlNormalizer.normalize("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')"))
                .isEqualTo("INSERT INTO t VALUES (?, …), …");
    }

    @Test
    void unterminatedLiteralsNeverLeakTheirContent() {
        assertThat(SqlNormalizer.normalize("SELECT 'password123")).isEqualTo("SELECT ?");
        assertThat(SqlNormalizer.normalize("SELECT $q$ secret")).isEqualTo("SELECT ?");
    }

    @Test
    void longTextIsCut() {
        String sql = "SELECT " + "a, ".repeat(2000) + "b FROM t";
        assertThat(SqlNormalizer.normalize(sql)).hasSize(SqlNormalizer.MAX_LENGTH + 1).endsWith("…");
    }
}
