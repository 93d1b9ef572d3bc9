package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.opskit.core.CheckRegistration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CheckNamesTest {

    @Test
    void aTopLevelIndicatorIsItsNameColonHealth() {
        assertThat(CheckNames.of(List.of("diskSpace"))).isEqualTo("diskSpace:health");
    }

    @Test
    void compositeChildrenAreFlattenedToComponentColonMeasurement() {
        assertThat(CheckNames.of(List.of("db", "primary"))).isEqualTo("db:primary");
        assertThat(CheckNames.of(List.of("a", "b", "c"))).isEqualTo("a:b.c");
    }

    @Test
    void anyNameBecomesAValidCheckName() {
        for (List<String> path : List.of(List.of("my service"), List.of("_x", "é/ü:?"), List.of("a".repeat(200), "b".repeat(200)),
                List.of("-"), List.of("db", "with:colon"))) {
            assertThat(CheckRegistration.isValidName(CheckNames.of(path))).as(path.toString()).isTrue();
        }
    }

    @Test
    void aTakenNameGetsANumericSuffix() {
        Set<String> taken = Set.of("db:health", "db:health-2");
        assertThat(CheckNames.unique("db:health", taken::contains)).isEqualTo("db:health-3");
        String longName = CheckNames.of(List.of("x", "m".repeat(100)));
        String unique = CheckNames.unique(longName, longName::equals);
        assertThat(CheckRegistration.isValidName(unique)).isTrue();
        assertThat(unique).endsWith("-2");
    }
}
