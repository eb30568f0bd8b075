using System.Security.Cryptography;
using System.Xml.Linq;
using ChatPulse.Api.Infrastructure.DataProtection;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Accounts;

[Collection(AppHostCollection.Name)]
public sealed class KeyRingTests(AppHostFixture fixture)
{
    private static readonly XElement Secret = new("key", new XElement("masterKey", "c2VjcmV0LWtleS1tYXRlcmlhbA=="));

    [Fact]
    public void Key_xml_round_trips_under_the_same_key_and_fails_under_another_or_when_tampered()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var encrypted = new AesGcmXmlEncryptor(key).Encrypt(Secret);

        Assert.DoesNotContain("c2VjcmV0", encrypted.EncryptedElement.ToString());
        Assert.Equal(typeof(AesGcmXmlDecryptor), encrypted.DecryptorType);
        Assert.Equal(Secret.ToString(), new AesGcmXmlDecryptor(key).Decrypt(encrypted.EncryptedElement).ToString());
        Assert.Throws<CryptographicException>(() => new AesGcmXmlDecryptor(RandomNumberGenerator.GetBytes(32)).Decrypt(encrypted.EncryptedElement));

        var tampered = new XElement(encrypted.EncryptedElement);
        var blob = Convert.FromBase64String(tampered.Element("value")!.Value);
        blob[^1] ^= 1;
        tampered.Element("value")!.Value = Convert.ToBase64String(blob);
        Assert.ThrowsAny<CryptographicException>(() => new AesGcmXmlDecryptor(key).Decrypt(tampered));
    }

    [Fact]
    public async Task The_shared_key_ring_in_postgres_is_encrypted_with_the_token_encryption_key()
    {
        // Starting a login protects the OAuth state, which needs a key: the ring is then surely in Postgres.
        using var client = LoopbackClient.Create(fixture.ApiBaseAddress);
        using var login = await client.GetAsync("/auth/login");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var entries = new List<string>();
        await using (var command = fixture.Database.CreateCommand("SELECT xml FROM data_protection_keys WHERE element = 'key'"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                entries.Add(reader.GetString(0));
            }
        }

        Assert.NotEmpty(entries);
        var key = Convert.FromHexString(fixture.ApiEnvironment["TOKEN_ENCRYPTION_KEY"]);
        foreach (var entry in entries)
        {
            var xml = XElement.Parse(entry);
            var encrypted = xml.Descendants("encryptedKey").Single();
            Assert.DoesNotContain(xml.Descendants(), e => e.Name.LocalName == "masterKey"); // nothing readable at rest
            Assert.Equal(typeof(AesGcmXmlDecryptor).AssemblyQualifiedName!.Split(',')[0],
                ((string)encrypted.Parent!.Attribute("decryptorType")!).Split(',')[0]);
            var decrypted = new AesGcmXmlDecryptor(key).Decrypt(encrypted);
            Assert.Contains(decrypted.DescendantsAndSelf(), e => e.Name.LocalName == "masterKey");
        }
    }
}
