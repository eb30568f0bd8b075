using ChatPulse.TwitchStandIn;
using ChatPulse.TwitchStandIn.Chat;
using ChatPulse.TwitchStandIn.Control;
using ChatPulse.TwitchStandIn.Helix;
using ChatPulse.TwitchStandIn.OAuth;

// A local Twitch: OAuth (/oauth2), Helix (/helix) with EventSub conduits, and chat deliveries (/chat).
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddStandIn();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGet("/", () => Results.Redirect("/chat"));
app.MapOAuth();
app.MapHelix();
app.MapChat();
app.MapStandInControl();

app.Run();
