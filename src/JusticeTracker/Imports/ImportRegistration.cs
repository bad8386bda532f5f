using Marten;

namespace JusticeTracker.Imports;

public static class ImportRegistration
{
    public static WebApplicationBuilder AddImports(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Import").Get<ImportOptions>() ?? new ImportOptions();
        if (options.MaxBytes < 1024 || options.MaxRows < 1 || options.UndoWindow < TimeSpan.Zero)
        {
            throw new InvalidOperationException("Import:MaxBytes must be at least 1024, Import:MaxRows at least 1, and Import:UndoWindow not negative.");
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ImportVocabulary>();
        builder.Services.ConfigureMarten(marten =>
        {
            // A batch is found by its organisation and file hash (a repeated upload), listed by
            // organisation; its chunks by the batch.
            marten.Schema.For<ImportBatch>().Index(b => b.OrganisationId).Index(b => b.Hash);
            marten.Schema.For<ImportChunk>().Index(c => c.BatchId);
            marten.Schema.For<SavedMapping>();
        });
        return builder;
    }
}
