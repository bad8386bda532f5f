namespace JusticeTracker.Access;

/// <summary>A member organisation of the network. Its id is a stable, meaningless code.</summary>
public sealed record Organisation(string Id, string Name, string Country, bool Active = true);
