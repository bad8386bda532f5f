using System.Collections.Concurrent;
using System.Security.Cryptography;
using JusticeTracker.Cases.Opening;

namespace JusticeTracker.Tests.Fixtures;

/// <summary>
/// The shared host's source for new case references: random, like the app's, unless a test has
/// queued the characters to come, to make the app draw a reference it has given before.
/// </summary>
public sealed class ScriptedDraws
{
    private readonly ConcurrentQueue<int> queued = new();

    public int Pending => queued.Count;

    public void Queue(string characters)
    {
        foreach (var character in characters)
        {
            queued.Enqueue(OpenCaseEndpoint.Alphabet.IndexOf(character, StringComparison.Ordinal));
        }
    }

    public void Clear() => queued.Clear();

    public int Next(int max) => queued.TryDequeue(out var next) ? next : RandomNumberGenerator.GetInt32(max);
}
