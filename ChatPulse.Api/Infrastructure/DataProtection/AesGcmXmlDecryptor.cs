using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using ChatPulse.Api.Infrastructure.Settings;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace ChatPulse.Api.Infrastructure.DataProtection;

/// <summary>
/// Reverses <see cref="AesGcmXmlEncryptor"/>. Data Protection creates it by type name from the stored XML, through the
/// <see cref="IServiceProvider"/> constructor, and it reads TOKEN_ENCRYPTION_KEY from the validated settings.
/// </summary>
public sealed class AesGcmXmlDecryptor : IXmlDecryptor
{
    private readonly byte[] _key;

    public AesGcmXmlDecryptor(IServiceProvider services)
        : this(services.GetRequiredService<IOptions<SecurityOptions>>().Value.TokenEncryptionKeyBytes)
    {
    }

    internal AesGcmXmlDecryptor(byte[] key) => _key = key;

    public XElement Decrypt(XElement encryptedElement)
    {
        var keyId = (string?)encryptedElement.Attribute("keyId");
        if (keyId is not null && keyId != AesGcmXmlEncryptor.KeyId(_key))
        {
            throw new CryptographicException(
                $"This Data Protection key was encrypted under another TOKEN_ENCRYPTION_KEY (fingerprint {keyId}).");
        }

        var blob = Convert.FromBase64String((string?)encryptedElement.Element("value")
            ?? throw new CryptographicException("The encrypted key has no value."));
        if (blob.Length < AesGcmXmlEncryptor.NonceSize + AesGcmXmlEncryptor.TagSize)
        {
            throw new CryptographicException("The encrypted key is too short.");
        }

        var nonce = blob.AsSpan(0, AesGcmXmlEncryptor.NonceSize);
        var tag = blob.AsSpan(AesGcmXmlEncryptor.NonceSize, AesGcmXmlEncryptor.TagSize);
        var ciphertext = blob.AsSpan(AesGcmXmlEncryptor.NonceSize + AesGcmXmlEncryptor.TagSize);
        var plaintext = new byte[ciphertext.Length];
        using (var aes = new AesGcm(_key, AesGcmXmlEncryptor.TagSize))
        {
            aes.Decrypt(nonce, ciphertext, tag, plaintext, AesGcmXmlEncryptor.AssociatedData);
        }

        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
