"""`./run bench`: every benchmark, one after another, each printing its own figures."""

from benchmarks import api_latency, bookings, email_throughput, import_voters

if __name__ == "__main__":
    api_latency.main()
    email_throughput.main()
    import_voters.main()
    bookings.main([])
