using System.Text;
using ChatPulse.TwitchStandIn.Helix;
using ChatPulse.TwitchStandIn.State;
using static System.Net.WebUtility;

namespace ChatPulse.TwitchStandIn.Chat;

/// <summary><c>GET /chat</c>: say something as any viewer in any channel, re-deliver, revoke; shows what was delivered.</summary>
internal static class ChatPage
{
    private const string Script = """
        async function post(path, body) {
          const r = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
          document.getElementById('out').textContent = r.status + '\n' + JSON.stringify(await r.json(), null, 2);
        }
        function say(f) {
          post('/chat/say', { broadcaster: f.broadcaster.value, chatter: f.chatter.value, text: f.text.value,
            stale: f.stale.checked, shared_with: f.shared_with.value || null });
          return false;
        }
        function revoke(f) { post('/chat/revoke', { subscription_id: f.subscription_id.value, reason: f.reason.value }); return false; }
        """;

    public static IResult Render(UserDirectory users, SubscriptionStore subscriptions)
    {
        var html = new StringBuilder("<h1>Twitch stand-in: chat</h1>");
        html.Append("<datalist id=\"users\">");
        foreach (var user in users.All())
        {
            html.Append($"<option value=\"{HtmlEncode(user.Login)}\">{HtmlEncode(user.DisplayName)} ({HtmlEncode(user.Id)})</option>");
        }

        html.Append("</datalist>")
            .Append("<form onsubmit=\"return say(this)\"><fieldset><legend>Say</legend>")
            .Append("<label>channel <input name=\"broadcaster\" list=\"users\" required></label> ")
            .Append("<label>as viewer <input name=\"chatter\" list=\"users\" required value=\"viewer1\"></label><br>")
            .Append($"<label>message <input name=\"text\" size=\"40\" required value=\"Kappa yes\"></label> <small>emotes: {HtmlEncode(string.Join(' ', ChatMessage.Emotes.Keys))}</small><br>")
            .Append("<label><input type=\"checkbox\" name=\"stale\"> timestamp 11 minutes old</label> ")
            .Append("<label>shared-chat copy to <input name=\"shared_with\" list=\"users\"></label><br>")
            .Append("<button>Say</button> <button type=\"button\" onclick=\"post('/chat/redeliver', {})\">Re-deliver last</button>")
            .Append("</fieldset></form>");

        var chat = users.All().SelectMany(u => subscriptions.ForBroadcaster(SubscriptionTypes.ChatMessage, u.Id).Select(s => (u, s))).ToList();
        html.Append("<form onsubmit=\"return revoke(this)\"><fieldset><legend>Revoke a subscription</legend><select name=\"subscription_id\">");
        foreach (var (user, subscription) in chat)
        {
            html.Append($"<option value=\"{subscription.Id}\">{HtmlEncode(user.Login)}: {subscription.Id} (app {HtmlEncode(subscription.ClientId)})</option>");
        }

        html.Append("</select> <select name=\"reason\">");
        foreach (var reason in ChatEndpoints.RevocationReasons)
        {
            html.Append($"<option>{reason}</option>");
        }

        html.Append("</select> <button>Revoke</button></fieldset></form><pre id=\"out\"></pre>");
        return Results.Content(
            $"<!doctype html><html><head><meta charset=\"utf-8\"><title>Chat - Twitch stand-in</title></head><body style=\"font-family:sans-serif\">{html}<script>{Script}</script></body></html>",
            "text/html; charset=utf-8");
    }
}
