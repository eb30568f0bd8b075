using ChatPulse.TwitchStandIn.State;

namespace ChatPulse.TwitchStandIn.Helix;

/// <summary><c>GET /helix/users</c>: with a user token and no query, the token's user; otherwise by <c>id</c>/<c>login</c>.</summary>
public static class UserEndpoints
{
    public sealed record UserDto(
        string Id, string Login, string DisplayName, string Type, string BroadcasterType, string Description,
        string ProfileImageUrl, string OfflineImageUrl, int ViewCount, string CreatedAt);

    public sealed record UserList(IReadOnlyList<UserDto> Data);

    public static void MapUsers(this RouteGroupBuilder helix) => helix.MapGet("/users", Get);

    private static IResult Get(HttpContext context, UserDirectory users)
    {
        var caller = HelixCaller.From(context);
        var ids = context.Request.Query["id"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
        var logins = context.Request.Query["login"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
        if (ids.Count + logins.Count > 100)
        {
            return HelixError.BadRequest("At most 100 id and login parameters may be given");
        }

        if (ids.Count + logins.Count == 0)
        {
            if (caller.IsAppToken)
            {
                return HelixError.BadRequest("Must provide an ID, Login or OAuth Token");
            }

            var self = users.FindById(caller.Token.UserId);
            return Results.Json(new UserList(self is null ? [] : [Dto(self)]));
        }

        var found = ids.Select(users.FindById).Concat(logins.Select(users.FindByLogin))
            .OfType<TwitchUser>()
            .DistinctBy(u => u.Id)
            .Select(Dto)
            .ToList();
        return Results.Json(new UserList(found));
    }

    public static UserDto Dto(TwitchUser user) => new(user.Id, user.Login, user.DisplayName, "", "", "",
        $"https://static-cdn.jtvnw.net/user-default-pictures-uv/stand-in-{user.Id}-profile_image-300x300.png", "", 0,
        user.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
}
