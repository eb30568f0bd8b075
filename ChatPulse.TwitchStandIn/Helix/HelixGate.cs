using ChatPulse.TwitchStandIn.State;

namespace ChatPulse.TwitchStandIn.Helix;

/// <summary>Who is calling Helix: the app, and the token it presented (an app token when <c>UserId</c> is null).</summary>
public sealed record HelixCaller(ClientRegistration Client, AccessToken Token)
{
    public bool IsAppToken => Token.UserId is null;

    public static HelixCaller From(HttpContext context) =>
        context.Items[typeof(HelixCaller)] as HelixCaller ?? throw new InvalidOperationException("HelixGate did not run");
}

/// <summary>
/// Every Helix call: <c>Client-Id</c> and <c>Authorization: Bearer</c> checked as Twitch does (401 otherwise),
/// <c>Ratelimit-Limit/Remaining/Reset</c> on the answer, and injected 429/5xx faults.
/// </summary>
public sealed class HelixGate(ClientRegistry clients, TokenStore tokens, HelixTraffic traffic) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return HelixError.Unauthorized("OAuth token is missing");
        }

        var clientId = context.Request.Headers["Client-Id"].ToString();
        if (clientId.Length == 0)
        {
            return HelixError.Unauthorized("Client ID is missing");
        }

        var token = tokens.Find(authorization["Bearer ".Length..].Trim());
        if (token is null)
        {
            return HelixError.Unauthorized("Invalid OAuth token");
        }

        var client = clients.Find(clientId);
        if (client is null || token.ClientId != clientId)
        {
            return HelixError.Unauthorized("Client ID and OAuth token do not match");
        }

        var admission = traffic.Admit(clientId);
        var headers = context.Response.Headers;
        headers["Ratelimit-Limit"] = HelixTraffic.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["Ratelimit-Remaining"] = admission.Remaining.ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["Ratelimit-Reset"] = admission.ResetUnixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (admission.FailWith is { } status)
        {
            return HelixError.Of(status, status == StatusCodes.Status429TooManyRequests ? "Too Many Requests" : "Internal Server Error");
        }

        context.Items[typeof(HelixCaller)] = new HelixCaller(client, token);
        return await next(invocation);
    }
}
