using System.Buffers.Binary;
using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Localization;
using A = DocumentFormat.OpenXml.Drawing;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using PIC = DocumentFormat.OpenXml.Drawing.Pictures;

namespace JusticeTracker.Statistics;

/// <summary>What a brief is about, besides its figures: the place's name, the permalink, and when it was written.</summary>
public sealed record BriefScope(string PlaceName, DateOnly AsOf, string Permalink, DateTimeOffset Written, CultureInfo Culture);

/// <summary>
/// The country brief: a Word document an analyst edits and submits to a treaty body. Every figure
/// comes from the same <see cref="Report"/> as the page (after disclosure control), written the way
/// the page writes it; each chart is the page's SVG rendered as PNG, with its table beside it. The
/// document names no user: its properties say only that JusticeTracker wrote it.
/// </summary>
public static class CountryBrief
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    /// <summary>The brief's sections: a heading, the reference text it cites (editable in the resources), and its tables in order.</summary>
    public static readonly IReadOnlyList<(string Heading, string Reference, string[] Tables)> Sections =
    [
        ("Key figures", "Brief.Reference.KeyFigures", ["overview", "profile", "countries", "years"]),
        ("Barriers", "Brief.Reference.Barriers", ["barriers", "barrier-tracks", "barrier-stages"]),
        ("How far cases get", "Brief.Reference.Funnels", ["funnel-CriminalJustice", "funnel-Recovery", "funnel-Compensation", "funnel-proceedings", "offenders", "reporting", "recovery-services", "safety"]),
        ("How long it takes", "Brief.Reference.Durations", ["durations", .. Facts.Waits.Select(w => $"survival-{w.Name}")]),
        ("Compensation", "Brief.Reference.Compensation", ["compensation", "claims", "claim-routes", "reparation"]),
        ("Child-friendly measures", "Brief.Reference.Measures", ["measures", "hearings"]),
        ("Rights", "Brief.Reference.Rights", ["rights"]),
    ];

    /// <summary>Printable width of an A4 page with 2.5 cm margins, in twentieths of a point and in EMU (the unit of images).</summary>
    private const int TextWidthTwips = 11906 - (2 * 1418);
    private const long TextWidthEmu = TextWidthTwips * 635L;

    /// <summary>The scope of a brief asked for in this request: the permalink is the statistics page for the same filter and date.</summary>
    public static BriefScope Scope(Report report, HttpRequest request, IStringLocalizer texts, DateTimeOffset now) => new(
        StatisticsEndpoints.PlaceName(report.Filter.Place, texts),
        report.Filter.AsOf ?? throw new ArgumentException("A brief needs its \"as of\" date.", nameof(report)),
        $"{request.Scheme}://{request.Host}{request.PathBase}/statistics?{FilterBudget.Key(report.Filter)}",
        now,
        CultureInfo.CurrentUICulture);

    /// <summary>
    /// A brief always names its "as of" date: a query without one gets the last permitted date
    /// (the end of last month) added, to send the reader to before any figure is read; null when
    /// the query already has a date.
    /// </summary>
    public static QueryString? Dated(IQueryCollection query, StatisticsDomain domain) =>
        string.IsNullOrWhiteSpace(query["asOf"]) && domain.PermittedDates() is [var latest, ..]
            ? new QueryBuilder(query.Where(q => q.Key != "asOf")) { { "asOf", latest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) } }.ToQueryString()
            : null;

    public static string FileName(Report report) =>
        $"justicetracker-brief-{report.Filter.Place ?? "network"}-{report.Filter.AsOf:yyyy-MM-dd}.docx";

    public static byte[] Write(Report report, BriefScope scope, IStringLocalizer texts)
    {
        using var buffer = new MemoryStream();
        using (var document = WordprocessingDocument.Create(buffer, WordprocessingDocumentType.Document))
        {
            var title = texts["Brief.Title", scope.PlaceName].Value;
            document.PackageProperties.Title = title;
            document.PackageProperties.Creator = "JusticeTracker";
            document.PackageProperties.LastModifiedBy = "JusticeTracker";
            document.PackageProperties.Language = scope.Culture.Name;
            document.PackageProperties.Created = scope.Written.UtcDateTime;
            document.PackageProperties.Modified = scope.Written.UtcDateTime;

            var main = document.AddMainDocumentPart();
            main.AddNewPart<StyleDefinitionsPart>().Styles = Styles(scope.Culture);
            var writer = new BodyWriter(main, report, texts, scope.Culture);
            writer.TitlePage(title, scope);
            writer.MethodNote(scope);
            foreach (var (heading, reference, tables) in Sections)
            {
                writer.Section(heading, reference, tables);
            }

            writer.HowToCite(title, scope);
            writer.Body.Append(new SectionProperties(
                new PageSize { Width = 11906, Height = 16838 },
                new PageMargin { Top = 1418, Right = 1418, Bottom = 1418, Left = 1418, Header = 709, Footer = 709, Gutter = 0 }));
            main.Document = new Document(writer.Body);
        }

        return buffer.ToArray();
    }

    /// <summary>The filter in words, as the title page and the citation give it.</summary>
    public static IEnumerable<string> Conditions(ReportFilter filter, IStringLocalizer texts)
    {
        yield return filter switch
        {
            { Count: CountBasis.Happened, Year: { } happened } => texts["What happened in {0}, whatever year the case was opened", happened].Value,
            { Year: { } year } => texts["Cases opened in {0}", year].Value,
            _ => texts["Cases opened in any year"].Value,
        };
        if (filter.AgeBand is { } age)
        {
            yield return $"{texts["Age when the exploitation began"].Value}: {texts.Label(age)}";
        }

        if (filter.Sex is { } sex)
        {
            yield return $"{texts["Sex"].Value}: {texts.Label(sex)}";
        }

        if (filter.Form is { } form)
        {
            yield return $"{texts["Form of exploitation"].Value}: {texts.Label(form)}";
        }

        if (filter.Fact is { } fact)
        {
            yield return $"{texts["Only cases where the profile says yes to"].Value}: {texts[$"ProfileFact.{fact}"].Value}";
        }
    }

    /// <summary>The paragraph and heading styles the brief uses, so Word's navigation pane and screen readers find its structure.</summary>
    private static Styles Styles(CultureInfo culture)
    {
        static Style Paragraph(string id, string name, int halfPoints, bool bold, int? outline, int spaceBefore, int spaceAfter)
        {
            var paragraph = new StyleParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = $"{spaceBefore}", After = $"{spaceAfter}" });
            if (outline is { } level)
            {
                paragraph.Append(new OutlineLevel { Val = level });
            }

            var run = new StyleRunProperties();
            if (bold)
            {
                run.Append(new Bold());
            }

            run.Append(new Color { Val = "1B1B1B" }, new FontSize { Val = $"{halfPoints}" });
            return new Style(new StyleName { Val = name }, new BasedOn { Val = "Normal" }, new NextParagraphStyle { Val = "Normal" }, new PrimaryStyle(), paragraph, run)
            {
                Type = StyleValues.Paragraph,
                StyleId = id,
            };
        }

        return new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    new RunFonts { Ascii = "Calibri", HighAnsi = "Calibri", ComplexScript = "Calibri", EastAsia = "Calibri" },
                    new FontSize { Val = "22" },
                    new Languages { Val = culture.Name })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(new SpacingBetweenLines { After = "120", Line = "276", LineRule = LineSpacingRuleValues.Auto }))),
            new Style(new StyleName { Val = "Normal" }, new PrimaryStyle()) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
            Paragraph("Title", "Title", 52, bold: true, outline: null, spaceBefore: 2400, spaceAfter: 240),
            Paragraph("Subtitle", "Subtitle", 30, bold: false, outline: null, spaceBefore: 0, spaceAfter: 480),
            Paragraph("Heading1", "heading 1", 32, bold: true, outline: 0, spaceBefore: 360, spaceAfter: 120),
            Paragraph("Heading2", "heading 2", 26, bold: true, outline: 1, spaceBefore: 240, spaceAfter: 80),
            Paragraph("Caption", "caption", 20, bold: false, outline: null, spaceBefore: 60, spaceAfter: 200),
            new Style(
                new StyleName { Val = "Table Grid" },
                new StyleTableProperties(new TableBorders(
                    new TopBorder { Val = BorderValues.Single, Size = 4, Color = "808080" },
                    new LeftBorder { Val = BorderValues.Single, Size = 4, Color = "808080" },
                    new BottomBorder { Val = BorderValues.Single, Size = 4, Color = "808080" },
                    new RightBorder { Val = BorderValues.Single, Size = 4, Color = "808080" },
                    new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4, Color = "808080" },
                    new InsideVerticalBorder { Val = BorderValues.Single, Size = 4, Color = "808080" })))
            { Type = StyleValues.Table, StyleId = "TableGrid" });
    }

    /// <summary>Writes the body in order; one per brief.</summary>
    private sealed class BodyWriter(MainDocumentPart main, Report report, IStringLocalizer texts, CultureInfo culture)
    {
        private uint images;

        public Body Body { get; } = new();

        public void TitlePage(string title, BriefScope scope)
        {
            Styled("Title", title);
            Styled("Subtitle", texts["Access to justice for child victims of sexual exploitation: barriers, outcomes and rights"]);
            Plain(string.Join(" · ", Conditions(report.Filter, texts)));
            Plain(texts["Figures as recorded by the end of {0}.", Day(scope.AsOf)]);
            Plain(texts["Written by JusticeTracker on {0}.", Day(DateOnly.FromDateTime(scope.Written.UtcDateTime))]);
            Body.Append(new Paragraph(new Run(new Break { Type = BreakValues.Page })));
        }

        public void MethodNote(BriefScope scope)
        {
            Styled("Heading1", texts["How the figures are counted"]);
            Plain(texts["Brief.Method.Counted"]);
            Plain(texts["Brief.Method.Period", Day(scope.AsOf)]);
            Styled("Heading2", texts["The disclosure rule"]);
            Plain(texts["Figures count anonymised cases. To protect children, a figure from fewer than {0} cases is withheld, with any figure it could be worked out from.", report.K]);
            Plain(texts["Withheld.Suppressed", report.K]);
            if (report.Refusal is { } refusal)
            {
                Plain(texts[$"Refusal.{refusal}", report.K]);
            }
            else
            {
                Plain(texts["{0} cases match these filters.", Cell(report.Cases)]);
            }
        }

        public void Section(string heading, string reference, string[] tableIds)
        {
            var tables = tableIds.Select(report.Table).OfType<ReportTable>().ToList();
            if (tables.Count == 0)
            {
                return;
            }

            Styled("Heading1", texts[heading]);
            Styled("Caption", texts[reference]);
            foreach (var table in tables)
            {
                Styled("Heading2", texts[table.Title]);
                if (Charts.All.FirstOrDefault(c => c.Table == table.Id) is { Id: not null } chart
                    && Charts.Draw(chart.Id, report, Export.ChartLabels(texts, report.K)) is { } svg)
                {
                    Image(Charts.Png(svg), $"{texts[table.Title].Value}. {texts["The table below gives the same figures."].Value}");
                }

                Table(table);
            }
        }

        public void HowToCite(string title, BriefScope scope)
        {
            Styled("Heading1", texts["How to cite this brief"]);
            Plain(texts["Brief.Citation", title, Day(scope.AsOf), scope.Permalink]);
            Plain(texts["The link above opens the same figures on the statistics page, for whoever may read them. Figures for a past date stay the same when cases are recorded later; they change only if a case is erased."]);
        }

        private void Table(ReportTable table)
        {
            var grid = new TableGrid();
            var labelWidth = TextWidthTwips * 2 / 5;
            var cellWidth = (TextWidthTwips - labelWidth) / Math.Max(1, table.Columns.Count);
            grid.Append(new GridColumn { Width = $"{labelWidth}" });
            grid.Append(table.Columns.Select(_ => new GridColumn { Width = $"{cellWidth}" }));

            var word = new Table(
                new TableProperties(
                    new TableStyle { Val = "TableGrid" },
                    new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
                    new TableLook { Val = "04A0", FirstRow = true, FirstColumn = true, NoVerticalBand = true }),
                grid);

            // The header row repeats on each page, and marks the columns for screen readers.
            var header = new TableRow(new TableRowProperties(new TableHeader(), new CantSplit()));
            header.Append(Cell(texts[table.RowHeader], bold: true, number: false));
            header.Append(table.Columns.Select(c => Cell(texts[c], bold: true, number: true)));
            word.Append(header);
            foreach (var row in table.Rows)
            {
                var line = new TableRow(new TableRowProperties(new CantSplit()));
                line.Append(Cell(Export.Label(row.Label, texts), bold: true, number: false));
                line.Append(row.Cells.Select(c => Cell(this.Cell(c), bold: false, number: true)));
                word.Append(line);
            }

            Body.Append(word);
            Body.Append(new Paragraph());
        }

        private static TableCell Cell(string text, bool bold, bool number)
        {
            var properties = new ParagraphProperties(new SpacingBetweenLines { After = "0" });
            if (number)
            {
                properties.Append(new Justification { Val = JustificationValues.Right });
            }

            var run = new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
            if (bold)
            {
                run.PrependChild(new RunProperties(new Bold()));
            }

            return new TableCell(new Paragraph(properties, run));
        }

        /// <summary>A figure as the page writes it: grouped digits in the reader's language, or the short mark of a withheld figure.</summary>
        private string Cell(Published cell) =>
            cell.Value is { } v ? v.ToString("#,0.##", culture) : texts[$"Withheld.{cell.Reason}.Short", report.K].Value;

        private void Image(byte[] png, string description)
        {
            var part = main.AddImagePart(ImagePartType.Png);
            using (var data = new MemoryStream(png))
            {
                part.FeedData(data);
            }

            var (width, height) = (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
            var cx = TextWidthEmu;
            var cy = cx * height / width;
            var id = ++images;
            var picture = new PIC.Picture(
                new PIC.NonVisualPictureProperties(
                    new PIC.NonVisualDrawingProperties { Id = id, Name = $"chart-{id}.png", Description = description },
                    new PIC.NonVisualPictureDrawingProperties()),
                new PIC.BlipFill(new A.Blip { Embed = main.GetIdOfPart(part) }, new A.Stretch(new A.FillRectangle())),
                new PIC.ShapeProperties(
                    new A.Transform2D(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = cx, Cy = cy }),
                    new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle }));
            var inline = new DW.Inline(
                new DW.Extent { Cx = cx, Cy = cy },
                new DW.EffectExtent { LeftEdge = 0, TopEdge = 0, RightEdge = 0, BottomEdge = 0 },
                new DW.DocProperties { Id = id, Name = $"Chart {id}", Description = description },
                new DW.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoChangeAspect = true }),
                new A.Graphic(new A.GraphicData(picture) { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" }))
            {
                DistanceFromTop = 0U,
                DistanceFromBottom = 0U,
                DistanceFromLeft = 0U,
                DistanceFromRight = 0U,
            };
            Body.Append(new Paragraph(new ParagraphProperties(new KeepNext()), new Run(new Drawing(inline))));
        }

        private void Styled(string style, string text) =>
            Body.Append(new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = style }), new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve })));

        private void Plain(string text) => Body.Append(new Paragraph(new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve })));

        private string Day(DateOnly day) => day.ToString("d MMMM yyyy", culture);
    }
}
