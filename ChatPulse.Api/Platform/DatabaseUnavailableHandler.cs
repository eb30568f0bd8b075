using System.Globalization;
using ChatPulse.Api.Infrastructure.Database;
using Microsoft.AspNetCore.Diagnostics;

namespace ChatPulse.Api.Platform;

/// <summary>
/// A request that needed Postgres while it cannot be reached answers 503 with <c>Retry-After</c>, as problem details
/// (the HTML page for browsers, <see cref="HtmlProblemWriter"/>), instead of a 500: the request was fine, the database
/// was not. A request that would have changed something says that nothing was changed; other database errors
/// (constraint violations, bad SQL) are not outages and are left to the other handlers.
/// </summary>
internal sealed partial class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> logger)
    : IExceptionHandler
{
    /// <summary>A Postgres restart or failover takes seconds; clients come back after this.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public const string Title = "Database unavailable";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseFailures.IsUnavailable(exception))
        {
            return false;
        }

        // The endpoint's name, not the path: overlay paths carry a secret id. No stack trace: this is an outage, not a bug.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.DisplayName ?? "no endpoint";
        LogUnavailable(logger, httpContext.Request.Method, endpoint, exception.GetBaseException().Message);

        var changes = !(HttpMethods.IsGet(httpContext.Request.Method) || HttpMethods.IsHead(httpContext.Request.Method));
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = Title,
                Detail = changes
                    ? "Nothing was saved: ChatPulse cannot reach its database right now. Please go back and try again in a minute."
                    : "ChatPulse cannot reach its database right now. Please try again in a minute.",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Endpoint} answered 503: the database is unavailable ({Reason})")]
    private static partial void LogUnavailable(ILogger logger, string method, string endpoint, string reason);
}
