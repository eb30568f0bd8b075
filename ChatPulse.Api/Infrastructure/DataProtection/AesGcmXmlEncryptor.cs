using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace ChatPulse.Api.Infrastructure.DataProtection;

/// <summary>
/// Encrypts Data Protection key XML at rest with AES-256-GCM under TOKEN_ENCRYPTION_KEY, so the key ring in Postgres
/// is useless without that setting. Layout of <c>value</c>: base64(nonce[12] ‖ tag[16] ‖ ciphertext).
/// </summary>
public sealed class AesGcmXmlEncryptor(byte[] key) : IXmlEncryptor
{
    internal const int NonceSize = 12;
    internal const int TagSize = 16;

    /// <summary>Binds each ciphertext to its purpose, so it cannot be replayed as another AES-GCM blob of ChatPulse.</summary>
    internal static readonly byte[] AssociatedData = Encoding.UTF8.GetBytes("ChatPulse.DataProtection.KeyRing.v1");

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var blob = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = blob.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Encrypt(nonce, plaintext, blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), AssociatedData);
        }

        var element = new XElement("encryptedKey",
            new XComment(" AES-256-GCM with TOKEN_ENCRYPTION_KEY (ChatPulse) "),
            new XAttribute("keyId", KeyId(key)),
            new XElement("value", Convert.ToBase64String(blob)));
        return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
    }

    /// <summary>A short, non-secret fingerprint of the key, so a mismatch after rotating it is named in the error.</summary>
    internal static string KeyId(byte[] key) => Convert.ToHexString(SHA256.HashData(key), 0, 4).ToLowerInvariant();
}
