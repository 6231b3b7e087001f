"""`./run bench`: every benchmark, one after another, each printing its own figures."""

from benchmarks import api_latency, email_throughput

if __name__ == "__main__":
    api_latency.main()
    email_throughput.main()
