package io.codex.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.security.AuthSettings;
import io.codex.security.JwtKey;
import io.codex.security.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShareLinksTest {
  private static final EmbedConfig.Links NO_SECRET = new EmbedConfig.Links("", Duration.ofHours(1), Duration.ofDays(1), "");

  @Test
  void signaturesBindIdAndExpiryAndNeedTheSharedKey() {
    LinkSigner s = LinkSigner.withKey("a-link-signing-key-of-at-least-32-chars");
    String id = LinkSigner.newId();
    String sig = s.sign(id, 1_800_000_000L);
    assertThat(s.verify(id, 1_800_000_000L, sig)).isTrue();
    assertThat(s.verify(id, 1_800_000_001L, sig)).as("a longer expiry").isFalse();
    assertThat(s.verify(LinkSigner.newId(), 1_800_000_000L, sig)).as("another id").isFalse();
    assertThat(s.verify(id, 1_800_000_000L, sig.substring(1))).isFalse();
    assertThat(s.verify(id, 1_800_000_000L, "not base64 !")).isFalse();
    assertThat(s.verify(id, 1_800_000_000L, null)).isFalse();
    assertThat(LinkSigner.withKey("another-link-signing-key-of-32-chars!!").verify(id, 1_800_000_000L, sig)).isFalse();
  }

  @Test
  void nodesSharingTheTokenKeyDeriveTheSameLinkKeyAndOthersDoNot() {
    AuthSettings a = auth(new JwtKey("default", "HS256", "a-shared-hs256-secret-for-all-nodes-0001", true));
    AuthSettings b = auth(new JwtKey("default", "HS256", "a-shared-hs256-secret-for-all-nodes-0001", true));
    AuthSettings other = auth(new JwtKey("default", "HS256", "another-hs256-secret-for-other-nodes-02", true));
    String id = LinkSigner.newId();
    String sig = LinkSigner.of(NO_SECRET, a).orElseThrow().sign(id, 1_800_000_000L);
    assertThat(LinkSigner.of(NO_SECRET, b).orElseThrow().verify(id, 1_800_000_000L, sig)).isTrue();
    assertThat(LinkSigner.of(NO_SECRET, other).orElseThrow().verify(id, 1_800_000_000L, sig)).isFalse();
    assertThat(LinkSigner.of(NO_SECRET, auth(new JwtKey("rs", "RS256", "-----BEGIN PUBLIC KEY-----", false)))).isEmpty();
    assertThat(LinkSigner.of(new EmbedConfig.Links("an-explicit-link-secret-32-chars-long!", Duration.ofHours(1),
        Duration.ofDays(1), ""), auth())).isPresent();
  }

  @Test
  void idsAreRandomAndWellFormed() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) ids.add(LinkSigner.newId());
    assertThat(ids).hasSize(1000).allMatch(LinkSigner::validId);
    assertThat(LinkSigner.validId("no-such-link")).isFalse();
    assertThat(LinkSigner.validId(null)).isFalse();
  }

  @Test
  void registryKnowsLiveRevokedAndUnknownLinksAndNeverGoesBackwards() {
    EmbedLinkRegistry r = new EmbedLinkRegistry();
    Instant now = Instant.parse("2026-11-25T10:00:00Z");
    EmbedLink link = link("AAAAAAAAAAAAAAAAAAAAAA", now.plusSeconds(60));
    assertThat(r.apply(link.id(), link, 5)).isTrue();
    assertThat(r.state(link.id())).isEqualTo(EmbedLinkRegistry.State.LIVE);
    assertThat(r.apply(link.id(), null, 6)).isTrue();
    assertThat(r.state(link.id())).isEqualTo(EmbedLinkRegistry.State.REVOKED);
    assertThat(r.apply(link.id(), link, 5)).as("a replay of the older record").isFalse();
    assertThat(r.state(link.id())).isEqualTo(EmbedLinkRegistry.State.REVOKED);
    assertThat(r.state("BBBBBBBBBBBBBBBBBBBBBB")).isEqualTo(EmbedLinkRegistry.State.UNKNOWN);

    EmbedLink other = link("CCCCCCCCCCCCCCCCCCCCCC", now.plusSeconds(10));
    r.apply(other.id(), other, 7);
    assertThat(r.list(now)).containsExactly(other);
    assertThat(r.list(now.plusSeconds(10))).isEmpty();
    assertThat(r.forgetExpired(now.plusSeconds(61))).isEqualTo(2);
    assertThat(r.state(link.id())).isEqualTo(EmbedLinkRegistry.State.UNKNOWN);
  }

  @Test
  void aClearedRegistryTakesTheNewTopicsLowerOffsets() {
    EmbedLinkRegistry r = new EmbedLinkRegistry();
    Instant now = Instant.parse("2026-11-25T10:00:00Z");
    EmbedLink link = link("AAAAAAAAAAAAAAAAAAAAAA", now.plusSeconds(60));
    r.apply(link.id(), link, 40);
    r.clear();
    assertThat(r.state(link.id())).isEqualTo(EmbedLinkRegistry.State.UNKNOWN);
    assertThat(r.apply(link.id(), null, 0)).as("a revocation at offset 0 of the topic created anew").isTrue();
    assertThat(r.state(link.id())).isEqualTo(EmbedLinkRegistry.State.REVOKED);
  }

  @Test
  void storedLinksRoundTripAndThePublicViewHidesClaims() {
    EmbedLink link = link("AAAAAAAAAAAAAAAAAAAAAA", Instant.parse("2026-11-26T10:00:00Z"));
    assertThat(EmbedLink.fromStored(new io.vertx.core.json.JsonObject(link.toStored().encode()))).isEqualTo(link);
    assertThat(link.toPublic().fieldNames()).containsExactlyInAnyOrder("id", "kind", "view", "createdBy", "createdAt", "expiresAt");
    assertThat(link.creator().claims()).containsEntry("region", "EMEA");
  }

  private static EmbedLink link(String id, Instant expiresAt) {
    return new EmbedLink(id, Kind.TABLEAU, "Sales/Overview", "cli-admin", Instant.parse("2026-11-25T09:00:00Z"), expiresAt,
        EnumSet.of(Role.ADMIN), Map.of("region", "EMEA"));
  }

  private static AuthSettings auth(JwtKey... keys) {
    return new AuthSettings(List.of(keys), List.of(), "codex", 5, Duration.ofHours(1), Duration.ofDays(1), List.of());
  }
}
