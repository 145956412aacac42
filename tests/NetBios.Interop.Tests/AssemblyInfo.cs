using Xunit;

// Interop tests start real daemons in network namespaces; running them one at a time keeps the 2-core CI machine
// responsive and the timing of Samba's broadcast registrations predictable.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
