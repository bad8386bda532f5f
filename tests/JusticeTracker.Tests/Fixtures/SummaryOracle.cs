using JusticeTracker.Cases;

namespace JusticeTracker.Tests.Fixtures;

/// <summary>
/// The case summary worked out the plain way, from every standing entry at once, as the case
/// document did when it held its entries: the oracle the summary kept event by event is checked against.
/// </summary>
public static class SummaryOracle
{
    public static IEnumerable<string> Check(Case @case)
    {
        var standing = @case.Entries.Where(e => e.IsStanding).Select(e => e.Event).ToList();
        var status = Enum.GetValues<Track>().ToDictionary(t => t, _ => TrackStatus.NotStarted);
        var closedByCase = new List<Track>();
        var caseStatus = CaseStatus.Open;
        foreach (var entry in standing)
        {
            switch (entry)
            {
                case TrackClosed closed:
                    status[closed.ClosedTrack] = TrackStatus.Closed;
                    caseStatus = status.ContainsValue(TrackStatus.Open) ? caseStatus : CaseStatus.Closed;
                    break;
                case TrackReopened reopened:
                    status[reopened.ReopenedTrack] = TrackStatus.Open;
                    caseStatus = CaseStatus.Open;
                    break;
                case CaseClosed:
                    closedByCase = [.. status.Where(s => s.Value == TrackStatus.Open).Select(s => s.Key)];
                    closedByCase.ForEach(t => status[t] = TrackStatus.Closed);
                    caseStatus = CaseStatus.Closed;
                    break;
                case CaseReopened:
                    closedByCase.ForEach(t => status[t] = TrackStatus.Open);
                    caseStatus = CaseStatus.Open;
                    break;
                case { Track: { } track } when status[track] == TrackStatus.NotStarted:
                    status[track] = TrackStatus.Open;
                    break;
            }
        }

        var tracks = Enum.GetValues<Track>().Select(t => new TrackProgress(t, status[t], standing.Where(e => e.Stage?.TrackOf() == t).Select(e => e.Stage).Max())).ToList();
        if (!tracks.SequenceEqual(@case.Tracks) || caseStatus != @case.Status)
        {
            yield return $"tracks {string.Join(", ", @case.Tracks)} and {@case.Status}; expected {string.Join(", ", tracks)} and {caseStatus}";
        }

        // The organisation and the country are the last move's when it came after the profile that stands.
        var source = @case.Entries.LastOrDefault(e => e.IsStanding && e.Event is ProfileCorrected);
        var profile = (source?.Event as ProfileCorrected)?.Profile ?? @case.OpenedProfile;
        if (@case.LastMove is { } move && move.Position > (source?.Position ?? 1))
        {
            profile = profile! with { OrganisationId = move.OrganisationId, Country = move.Country };
        }

        if (!Equals(profile, @case.Profile))
        {
            yield return "the profile is not the latest standing one";
        }

        var overcome = standing.OfType<BarrierOvercome>().Select(o => @case.Resolve(o.BarrierId)).ToHashSet();
        var open = standing.OfType<BarrierRecorded>().Where(b => !overcome.Contains(b.Entry.EntryId)).Select(b => b.Entry.EntryId).ToList();
        if (!open.SequenceEqual(@case.OpenBarriers.Select(b => b.Id)) || open.Count != @case.OpenBarrierCount)
        {
            yield return $"open barriers {string.Join(", ", @case.OpenBarriers.Select(b => b.Id))}; expected {string.Join(", ", open)}";
        }

        foreach (var barrier in @case.Barriers)
        {
            var versions = @case.Entries.Where(e => e.Id != barrier.Id && @case.Resolve(e.Id) == barrier.Id).Select(e => e.Id).Order();
            if (!versions.SequenceEqual(barrier.Earlier.Order()))
            {
                yield return $"barrier {barrier.Id} lists {barrier.Earlier.Count} earlier versions; expected {versions.Count()}";
            }
        }

        var rights = standing.OfType<RightAssessed>().GroupBy(r => r.Right).Select(g => g.Last()).OrderBy(r => r.Right).Select(r => new RightState(r.Right, r.Respect, r.Entry.Occurred));
        if (!rights.SequenceEqual(@case.Rights))
        {
            yield return "the rights are not the latest standing assessments";
        }

        var tally = standing.SelectMany(Case.TallyKeys).CountBy(k => k).ToHashSet();
        if (!tally.SetEquals(@case.Tally))
        {
            yield return $"the tally {string.Join(", ", @case.Tally)}; expected {string.Join(", ", tally)}";
        }

        var earliest = standing.Select(e => (DateOnly?)e.Entry.Occurred.Latest).Min();
        if (earliest != @case.EarliestOccurred)
        {
            yield return $"the earliest day {@case.EarliestOccurred}; expected {earliest}";
        }
    }
}
