namespace ChatPulse.Tests.Support;

/// <summary>Files the tests read that are not the product's own: kept under <c>*/TestData/</c>, copied next to the tests.</summary>
public static class TestData
{
    /// <summary>
    /// The body of Twitch's public EventSub HMAC known-answer vector (secret <c>secretabcd</c>), byte for byte: 458
    /// bytes, no trailing newline (.gitattributes keeps Git from touching it).
    /// </summary>
    public static byte[] SignatureVectorBody() =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Twitch", "TestData", "eventsub-signature-vector.json"));
}
