using ChatPulse.Api.Platform;
using ChatPulse.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace ChatPulse.Tests.Dashboard;

[Collection(AppHostCollection.Name)]
public sealed class SecurityHeadersTests(AppHostFixture fixture)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/login")]
    [InlineData("/version")]
    [InlineData("/api/dashboard/overlays")]
    [InlineData("/no-such-page")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var response = await fixture.Api.GetAsync(path);

        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Null(Header(response, "Strict-Transport-Security")); // development: no HSTS
    }

    [Fact]
    public void An_endpoint_that_allows_embedding_gets_frame_ancestors_star_and_no_x_frame_options()
    {
        var context = ContextFor(new SecurityHeadersPolicy(SecurityHeadersExtensions.EmbeddableContentSecurityPolicy, AllowFraming: true));

        SecurityHeadersExtensions.Apply(context, production: false);

        Assert.False(context.Response.Headers.ContainsKey("X-Frame-Options"));
        Assert.Contains("frame-ancestors *", context.Response.Headers.ContentSecurityPolicy.ToString());
        Assert.Equal("nosniff", context.Response.Headers.XContentTypeOptions.ToString());
    }

    [Fact]
    public void A_header_the_endpoint_already_set_is_kept_and_production_adds_hsts()
    {
        var context = ContextFor(policy: null);
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'";

        SecurityHeadersExtensions.Apply(context, production: true);

        Assert.Equal("default-src 'none'", context.Response.Headers.ContentSecurityPolicy.ToString());
        Assert.Equal("DENY", context.Response.Headers.XFrameOptions.ToString());
        Assert.StartsWith("max-age=31536000", context.Response.Headers.StrictTransportSecurity.ToString());
    }

    private static DefaultHttpContext ContextFor(SecurityHeadersPolicy? policy)
    {
        var context = new DefaultHttpContext();
        var metadata = policy is null ? new EndpointMetadataCollection() : new EndpointMetadataCollection(policy);
        context.SetEndpoint(new Endpoint(null, metadata, "test"));
        return context;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content) : null;
}
