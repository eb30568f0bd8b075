using System.Security.Cryptography;
using System.Text;
using ChatPulse.Tests.Support;
using ChatPulse.TwitchStandIn.Chat;
using ChatPulse.TwitchStandIn.EventSub;

namespace ChatPulse.Tests.TwitchStandIn;

/// <summary>The stand-in's signer, timestamps and fragments: pure rules, checked against known answers.</summary>
public sealed class EventSubSigningTests
{
    [Fact]
    public void Signer_reproduces_the_public_known_answer_vector()
    {
        var body = TestData.SignatureVectorBody();

        var signature = EventSubSignature.Compute("secretabcd", "ae2ff348-e102-16be-a3eb-6830c1bf38d2", "2021-02-19T23:47:00.8091512Z", body);

        Assert.Equal(458, body.Length);
        Assert.Equal("sha256=d10f5bd9474b7ac7bd7105eb79c2d52768b4d0cd2a135982c3bf5a1d59a78823", signature);
    }

    [Theory]
    [InlineData("0123456789abcdef", "5f1d2a4e-0000-4000-8000-000000000001", "2024-05-01T10:00:00Z", "{\"a\":1}")]
    [InlineData("another-secret-!~", "id", "2024-05-01T10:00:00.123456789Z", "{\"text\":\"Kappa \\u00e9\"}")]
    public void Signer_agrees_with_an_incremental_hmac_over_id_timestamp_and_body(string secret, string id, string timestamp, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.UTF8.GetBytes(id));
        hmac.AppendData(Encoding.UTF8.GetBytes(timestamp));
        hmac.AppendData(body);
        var expected = "sha256=" + Convert.ToHexString(hmac.GetHashAndReset()).ToLowerInvariant();

        Assert.Equal(expected, EventSubSignature.Compute(secret, id, timestamp, body));
    }

    [Fact]
    public void Timestamps_vary_their_fraction_digits_and_stay_rfc3339_utc()
    {
        var at = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567);
        var stamps = Enumerable.Range(0, 10).Select(_ => RfcTimestamp.FormatVarying(at)).ToList();

        var digits = stamps.Select(s => s.Contains('.') ? s.Length - s.IndexOf('.') - 2 : 0).Distinct().Count();
        Assert.Equal(10, digits);
        Assert.Contains("2024-05-01T10:00:00Z", stamps);
        Assert.Contains("2024-05-01T10:00:00.123456700Z", stamps);
        foreach (var stamp in stamps)
        {
            var match = System.Text.RegularExpressions.Regex.Match(stamp, @"^2024-05-01T10:00:00(?:\.([0-9]{1,9}))?Z$");
            Assert.True(match.Success, stamp);
            Assert.StartsWith(match.Groups[1].Value, "123456700");
        }
    }

    [Fact]
    public void Known_emotes_and_mentions_become_their_own_fragments()
    {
        var fragments = ChatMessage.Fragments("Kappa yes @someone PogChamp", login => login == "someone"
            ? new ChatPulse.TwitchStandIn.State.TwitchUser("42", "someone", "Someone", DateTimeOffset.UnixEpoch)
            : null);

        Assert.Equal(["emote", "text", "mention", "text", "emote"], fragments.Select(f => f.Type));
        Assert.Equal(["Kappa", " yes ", "@someone", " ", "PogChamp"], fragments.Select(f => f.Text));
        Assert.Equal("25", fragments[0].Emote!.Id);
        Assert.Equal("42", fragments[2].Mention!.UserId);
        Assert.Equal("Kappa yes @someone PogChamp", string.Concat(fragments.Select(f => f.Text)));
    }

    [Fact]
    public void Plain_text_is_one_text_fragment()
    {
        var fragments = ChatMessage.Fragments("  yes  ", _ => null);

        var only = Assert.Single(fragments);
        Assert.Equal(("text", "  yes  "), (only.Type, only.Text));
        Assert.Null(only.Emote);
    }
}
