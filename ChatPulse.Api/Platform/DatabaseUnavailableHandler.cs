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
    public const string Title = "Database unavailable";

    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseFailures.IsUnavailable(exception))
        {
            return ValueTask.FromResult(false);
        }

        // No stack trace: this is an outage, not a bug.
        LogUnavailable(logger, httpContext.Request.Method, OutageAnswer.EndpointName(httpContext), exception.GetBaseException().Message);
        var changes = !(HttpMethods.IsGet(httpContext.Request.Method) || HttpMethods.IsHead(httpContext.Request.Method));
        return OutageAnswer.WriteAsync(problems, httpContext, Title, changes
            ? "Nothing was saved: ChatPulse cannot reach its database right now. Please go back and try again in a minute."
            : "ChatPulse cannot reach its database right now. Please try again in a minute.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Endpoint} answered 503: the database is unavailable ({Reason})")]
    private static partial void LogUnavailable(ILogger logger, string method, string endpoint, string reason);
}
