package io.opskit.core.maintenance.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddressesTest {

    @Test
    void literalsParseAndNamesAreNeverResolved() {
        assertThat(IpAddresses.parse("10.1.2.3")).hasValueSatisfying(b -> assertThat(b).containsExactly(10, 1, 2, 3));
        assertThat(IpAddresses.parse("[::1]")).hasValueSatisfying(b -> assertThat(b).hasSize(16));
        assertThat(IpAddresses.parse("::ffff:10.1.2.3")).hasValueSatisfying(b -> assertThat(b).hasSize(4));
        assertThat(IpAddresses.parse("fe80::1%eth0")).isPresent();
        assertThat(IpAddresses.parse("localhost")).isEmpty();
        assertThat(IpAddresses.parse("example.com")).isEmpty();
        assertThat(IpAddresses.parse("256.1.1.1")).isEmpty();
        assertThat(IpAddresses.parse("1.2.3")).isEmpty();
        assertThat(IpAddresses.parse("1.2.3.4.5")).isEmpty();
        assertThat(IpAddresses.parse("1..2.3")).isEmpty();
        assertThat(IpAddresses.parse("12:zz::1")).isEmpty();
        assertThat(IpAddresses.parse("")).isEmpty();
    }

    @Test
    void cidrsMatchTheirNetworkOnly() {
        Cidr v4 = Cidr.parse("f", "10.0.0.0/12");
        assertThat(v4.contains(IpAddresses.parse("10.15.255.255").orElseThrow())).isTrue();
        assertThat(v4.contains(IpAddresses.parse("10.16.0.0").orElseThrow())).isFalse();
        assertThat(v4.contains(IpAddresses.parse("::1").orElseThrow())).isFalse();
        Cidr v6 = Cidr.parse("f", "2001:db8::/32");
        assertThat(v6.contains(IpAddresses.parse("2001:db8:ffff::1").orElseThrow())).isTrue();
        assertThat(v6.contains(IpAddresses.parse("2001:db9::1").orElseThrow())).isFalse();
        assertThat(Cidr.parse("f", "0.0.0.0/0").contains(IpAddresses.parse("8.8.8.8").orElseThrow())).isTrue();
        assertThat(Cidr.parse("f", "127.0.0.1").contains(IpAddresses.parse("127.0.0.1").orElseThrow())).isTrue();
    }

    @Test
    void forwardedHeadersSplitIntoHopsWithPortsAndQuotesRemoved() {
        assertThat(ForwardedHeaders.xForwardedFor(List.of("1.1.1.1, 2.2.2.2:8080", "[::1]:9")))
                .containsExactly("1.1.1.1", "2.2.2.2", "::1");
        assertThat(ForwardedHeaders.forwarded(List.of("for=192.0.2.60;proto=http;by=203.0.113.43, For=\"[2001:db8:cafe::17]:4711\"",
                "for=unknown, proto=https")))
                .containsExactly("192.0.2.60", "2001:db8:cafe::17", "unknown", "");
        assertThat(ForwardedHeaders.xForwardedFor(List.of("1.1.1.1,".repeat(100)))).hasSize(ForwardedHeaders.MAX_HOPS);
    }

    @Test
    void acceptHeadersChooseHtmlOnlyWhenItIsPreferred() {
        assertThat(AcceptHeader.prefersHtml("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")).isTrue();
        assertThat(AcceptHeader.prefersHtml("application/json")).isFalse();
        assertThat(AcceptHeader.prefersHtml("*/*")).isFalse();
        assertThat(AcceptHeader.prefersHtml(null)).isFalse();
        assertThat(AcceptHeader.prefersHtml("application/json;q=0.5, text/html")).isTrue();
        assertThat(AcceptHeader.prefersHtml("text/html;q=0.4, application/problem+json")).isFalse();
    }
}
