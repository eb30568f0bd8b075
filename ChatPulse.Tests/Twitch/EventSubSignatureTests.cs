using System.Security.Cryptography;
using System.Text;
using ChatPulse.Api.Twitch.Webhook;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Twitch;

public sealed class EventSubSignatureTests
{
    private const string VectorSignature = "sha256=d10f5bd9474b7ac7bd7105eb79c2d52768b4d0cd2a135982c3bf5a1d59a78823";
    private const string VectorId = "ae2ff348-e102-16be-a3eb-6830c1bf38d2";
    private const string VectorTimestamp = "2021-02-19T23:47:00.8091512Z";

    private static readonly byte[] VectorBody = TestData.SignatureVectorBody();

    [Fact]
    public void Public_known_answer_vector_verifies_and_signs_to_the_same_value()
    {
        Assert.Equal(458, VectorBody.Length);
        Assert.True(EventSubSignature.Verify("secretabcd"u8, Signed(VectorId, VectorTimestamp, VectorBody), VectorSignature));
        Assert.Equal(VectorSignature, EventSubSignature.Sign("secretabcd", VectorId, VectorTimestamp, VectorBody));
    }

    [Fact]
    public void Own_vector_matches_an_independent_hmac_over_id_timestamp_and_raw_body()
    {
        const string secret = "another-secret-0123456789";
        const string id = "7f1c0c2e-5b7d-4f59-9b8e-0c4f3f2e1a77";
        const string timestamp = "2024-05-01T12:00:00.123456789Z"; // nine fraction digits, hashed exactly as received
        var body = Encoding.UTF8.GetBytes("{\"event\":{\"text\":\"ünïcode ✓\"},  \"x\":1}\n");
        using var hmac = new HMACSHA256(Encoding.ASCII.GetBytes(secret));
        var expected = "sha256=" + Convert.ToHexStringLower(hmac.ComputeHash([.. Encoding.ASCII.GetBytes(id + timestamp), .. body]));

        Assert.Equal(expected, EventSubSignature.Sign(secret, id, timestamp, body));
        Assert.True(EventSubSignature.Verify(Encoding.ASCII.GetBytes(secret), Signed(id, timestamp, body), expected));
    }

    [Theory]
    [InlineData("secretabcX", VectorId, VectorTimestamp, 0)] // wrong secret
    [InlineData("secretabcd", "ae2ff348-e102-16be-a3eb-6830c1bf38d3", VectorTimestamp, 0)] // other message id
    [InlineData("secretabcd", VectorId, "2021-02-19T23:47:00.809151Z", 0)] // same instant, different header text
    [InlineData("secretabcd", VectorId, VectorTimestamp, 1)] // one body byte changed
    public void Any_change_to_secret_id_timestamp_or_body_fails(string secret, string id, string timestamp, int flipBodyByte)
    {
        var body = (byte[])VectorBody.Clone();
        body[100] ^= (byte)flipBodyByte;

        Assert.False(EventSubSignature.Verify(Encoding.ASCII.GetBytes(secret), Signed(id, timestamp, body), VectorSignature));
    }

    [Theory]
    [InlineData("")]
    [InlineData("d10f5bd9474b7ac7bd7105eb79c2d52768b4d0cd2a135982c3bf5a1d59a78823")] // no prefix
    [InlineData("sha1=d10f5bd9474b7ac7bd7105eb79c2d52768b4d0cd2a135982c3bf5a1d59a78823")]
    [InlineData("sha256=d10f5bd9474b7ac7bd7105eb79c2d52768b4d0cd2a135982c3bf5a1d59a788")] // short
    [InlineData("sha256=z10f5bd9474b7ac7bd7105eb79c2d52768b4d0cd2a135982c3bf5a1d59a78823")] // not hex
    public void Malformed_signature_headers_are_mismatches(string header)
    {
        Assert.False(EventSubSignature.Verify("secretabcd"u8, Signed(VectorId, VectorTimestamp, VectorBody), header));
    }

    private static byte[] Signed(string id, string timestamp, byte[] body) => [.. Encoding.UTF8.GetBytes(id + timestamp), .. body];
}
