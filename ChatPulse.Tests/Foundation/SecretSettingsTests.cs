using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Tests.Deployment.Support;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Foundation;

/// <summary>
/// Secrets an attacker could know are refused at start: k8s/secret.yaml's placeholders and anything like them, and in
/// production short webhook secrets and session secrets that are not 32 random bytes. The recipe in
/// docs/deploy-kubernetes.md passes.
/// </summary>
public sealed partial class SecretSettingsTests
{
    /// <summary>
    /// Every key of the template the API reads, with its placeholder, from the repository's k8s/secret.yaml.
    /// POSTGRES_PASSWORD is the in-cluster superuser's, read only by the postgres container's initialisation.
    /// </summary>
    public static TheoryData<string, string> TemplatePlaceholders()
    {
        var template = Rendered.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Kubernetes, "secret.yaml"))).Objects.Single();
        var data = new TheoryData<string, string>();
        foreach (var (key, value) in template.Map("stringData").Where(entry => entry.Key != "POSTGRES_PASSWORD"))
        {
            data.Add(key, value.Value!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TemplatePlaceholders))]
    public void Each_placeholder_of_the_secret_template_is_refused_by_name(string key, string placeholder)
    {
        var settings = ApiServices.ProductionSettings();
        // The API's database role's and Redis's passwords reach it only inside the two URLs.
        var (setting, value) = key switch
        {
            "CHATPULSE_DB_PASSWORD" => ("DATABASE_URL", $"postgres://chatpulse:{placeholder}@db:5432/chatpulsedb?sslmode=require"),
            "REDIS_PASSWORD" => ("REDIS_URL", $"redis://:{placeholder}@redis:6379"),
            _ => (key, placeholder),
        };
        settings[setting] = value;

        var line = Assert.Single(Errors(settings));

        Assert.Matches($"^{setting}( \\(or ConnectionStrings:[a-z]+\\))?: ", line);
    }

    [Theory]
    [InlineData("SESSION_SECRET", "CHANGE-ME-to-something-long-and-random")]
    [InlineData("SESSION_SECRET", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    [InlineData("SESSION_SECRET", "<generate with openssl rand -hex 32>")]
    [InlineData("WEBHOOK_SECRET", "changeme-changeme-changeme-changeme")]
    [InlineData("WEBHOOK_SECRET", "${WEBHOOK_SECRET}")]
    [InlineData("WEBHOOK_SECRET", "0123456789abcdef")]
    [InlineData("TWITCH_CLIENT_SECRET", "secret")]
    [InlineData("TWITCH_CLIENT_ID", "your_client_id")]
    [InlineData("TOKEN_ENCRYPTION_KEY", "0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("BOT_USER_ID", "123456789")]
    public void A_value_that_looks_like_a_placeholder_is_refused_in_development_too(string setting, string value)
    {
        var settings = ApiServices.ValidGuideSettings();
        settings[setting] = value;

        var line = Assert.Single(Errors(settings));

        Assert.StartsWith(setting + ": must not be a placeholder", line);
    }

    [Theory]
    [InlineData("WEBHOOK_SECRET", "plumbing-webhook-secret-0123", "WEBHOOK_SECRET: must be at least 32 characters when APP_ENV=production; generate one with: openssl rand -hex 32 (was 28 characters)")]
    [InlineData("SESSION_SECRET", "a passphrase typed by hand, 40 characters", "SESSION_SECRET: must be at least 32 random bytes as hex or base64 when APP_ENV=production; generate one with: openssl rand -hex 32 (was 41 characters, neither hex nor base64)")]
    [InlineData("SESSION_SECRET", "56520ad1d00a05cda37eefe8c0a7d7cf", "SESSION_SECRET: must be at least 32 random bytes as hex or base64 when APP_ENV=production; generate one with: openssl rand -hex 32 (was 16 bytes)")]
    [InlineData("SESSION_SECRET", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "SESSION_SECRET: must be at least 32 random bytes as hex or base64 when APP_ENV=production; generate one with: openssl rand -hex 32 (was 32 bytes with a repeating pattern)")]
    public void Production_wants_generated_secrets_where_development_takes_typed_ones(string setting, string value, string expected)
    {
        var development = ApiServices.ValidGuideSettings();
        development[setting] = value;
        var production = ApiServices.ProductionSettings();
        production[setting] = value;

        var line = Assert.Single(Errors(production));

        Assert.Equal(expected, line);
        Assert.Empty(Errors(development));
    }

    [Fact]
    public void A_token_encryption_key_with_a_pattern_is_refused()
    {
        var settings = ApiServices.ValidGuideSettings();
        settings["TOKEN_ENCRYPTION_KEY"] = string.Concat(Enumerable.Repeat("0123456789abcdef", 4));

        Assert.Equal(["TOKEN_ENCRYPTION_KEY: must be 64 hex characters of random bytes, not a pattern; generate one with: openssl rand -hex 32"], Errors(settings));
    }

    [Theory]
    [InlineData("0Avr0FT4dr/OW+0hfmxIgh/b1ij9vlP7O8norZ/59sw=")] // base64
    [InlineData("EAB19qWqb90D4cpUuaf2TBtcp1-TinnGxGpZ63R3Tmw")] // base64url without padding
    [InlineData("74AA17D53D41E44D1E792F3EE51E110AEAF627FD352183CA7517B68464636F06")] // upper-case hex
    public void Production_takes_32_random_bytes_in_either_encoding(string sessionSecret)
    {
        var settings = ApiServices.ProductionSettings();
        settings["SESSION_SECRET"] = sessionSecret;

        Assert.Empty(Errors(settings));
    }

    [Fact]
    public void The_deployment_docs_recipe_makes_secrets_production_accepts()
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "deploy-kubernetes.md"));
        var recipe = RecipeLine().Matches(guide).ToList();
        Assert.Contains(recipe, r => r.Groups["setting"].Value == "SESSION_SECRET");
        Assert.Contains(recipe, r => r.Groups["setting"].Value == "WEBHOOK_SECRET");
        Assert.Contains(recipe, r => r.Groups["setting"].Value == "TOKEN_ENCRYPTION_KEY");

        foreach (var line in recipe)
        {
            foreach (Match command in OpensslRand().Matches(line.Value))
            {
                // What `openssl rand -hex|-base64 N` prints: N random bytes, lower-case hex or padded base64.
                var bytes = RandomNumberGenerator.GetBytes(int.Parse(command.Groups["bytes"].Value, System.Globalization.CultureInfo.InvariantCulture));
                var output = command.Groups["form"].Value == "hex" ? Convert.ToHexStringLower(bytes) : Convert.ToBase64String(bytes);
                var settings = ApiServices.ProductionSettings();
                switch (line.Groups["setting"].Value)
                {
                    case "POSTGRES_PASSWORD":
                        settings["DATABASE_URL"] = $"postgres://chatpulse:{output}@db:5432/chatpulse?sslmode=require";
                        settings["REDIS_URL"] = $"redis://:{output}@redis:6379";
                        break;
                    case var setting:
                        settings[setting] = output;
                        break;
                }

                Assert.True(Errors(settings).Count == 0, $"{line.Value}: {string.Join("; ", Errors(settings))}");
            }
        }
    }

    private static IReadOnlyList<string> Errors(Dictionary<string, string?> settings)
    {
        try
        {
            ApiServices.Builder(settings);
            return [];
        }
        catch (Exception e) when (InvalidSettingException.Describe(e) is { Count: > 0 } lines)
        {
            Assert.All(lines, l => Assert.DoesNotContain('\n', l));
            return lines;
        }
    }

    [GeneratedRegex(@"^openssl rand -(hex|base64) \d+ +# (?<setting>[A-Z_]+).*$", RegexOptions.Multiline)]
    private static partial Regex RecipeLine();

    [GeneratedRegex(@"openssl rand -(?<form>hex|base64) (?<bytes>\d+)")]
    private static partial Regex OpensslRand();
}
