using System.Text.Json;

namespace ChatPulse.TwitchStandIn.State;

/// <summary>What the stand-in keeps between runs: its users (with the next id to hand out), grants and apps.</summary>
public sealed record StandInSnapshot(UserDirectorySnapshot Directory, IReadOnlyList<ClientRegistration> Clients);

/// <summary>
/// Keeps users, grants and registered apps in <c>StandIn:StateFile</c>, so a restarted stand-in knows the
/// streamers the API stored and does not hand their ids out again. Loaded once at start, rewritten after every
/// change (a temp file renamed over the old one, so a crash leaves the previous file whole). Without the setting,
/// state lives in memory only. Tokens, conduits and subscriptions are not kept: the API asks for new ones.
/// </summary>
public sealed class StateFile(IOptions<StandInOptions> options, UserDirectory users, ClientRegistry clients, ILogger<StateFile> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly Lock _lock = new();

    private string FilePath => options.Value.StateFile;

    /// <summary>Restores the saved state, then saves after every change. A missing or unreadable file starts empty.</summary>
    public void LoadAndKeep()
    {
        if (FilePath.Length == 0)
        {
            return;
        }

        if (Read() is { } snapshot)
        {
            users.Restore(snapshot.Directory);
            foreach (var client in snapshot.Clients)
            {
                clients.Set(client);
            }

            logger.LogInformation("Restored {Users} users and {Clients} apps from {StateFile}", snapshot.Directory.Users.Count, snapshot.Clients.Count, FilePath);
        }

        users.Changed += Save;
        clients.Changed += Save;
    }

    private StandInSnapshot? Read()
    {
        if (!File.Exists(FilePath))
        {
            logger.LogInformation("No state file at {StateFile} yet; starting empty", FilePath);
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<StandInSnapshot>(File.ReadAllText(FilePath), Json)
                ?? throw new JsonException("the file holds null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or IOException)
        {
            logger.LogWarning(e, "State file {StateFile} is unreadable; starting empty", FilePath);
            SetAside();
            return null;
        }
    }

    /// <summary>Keeps an unreadable file for a look instead of letting the first save overwrite it.</summary>
    private void SetAside()
    {
        var aside = FilePath + ".unreadable";
        try
        {
            File.Move(FilePath, aside, overwrite: true);
            logger.LogWarning("Moved the unreadable state file to {Aside}", aside);
        }
        catch (IOException e)
        {
            logger.LogWarning(e, "Could not move the unreadable state file aside; the first save replaces it");
        }
    }

    private void Save()
    {
        lock (_lock)
        {
            // Exported inside the lock, so the last save written holds every change made before it.
            var snapshot = new StandInSnapshot(users.Export(), clients.All());
            var temp = FilePath + ".tmp";
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(FilePath))!);
            File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(snapshot, Json));
            File.Move(temp, FilePath, overwrite: true);
        }
    }
}
