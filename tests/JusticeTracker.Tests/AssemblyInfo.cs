// Every test that touches the database shares one PostgreSQL database, and some start their own
// host on it; running them one at a time keeps them from resetting each other's data.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
