"""`./run bench`: every benchmark, one after another, each printing its own figures."""

from benchmarks import api_latency, backup_latency, bookings, email_throughput, import_voters

if __name__ == "__main__":
    api_latency.main()
    email_throughput.main()
    import_voters.main()
    backup_latency.main()
    bookings.main([])
