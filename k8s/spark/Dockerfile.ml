# The Spark image for exported jobs that use pyspark.ml (lesson 06): the official Apache Spark image
# the other SparkApplication uses, plus the NumPy and pandas that pyspark.ml and pyspark.ml.functions
# import (the same versions the parity tier tests with, test/services/pins.json).
#
#   docker build -f k8s/spark/Dockerfile.ml -t streamlab-spark-ml:3.5.7 k8s/spark
FROM spark:3.5.7-scala2.12-java17-python3-ubuntu
USER root
RUN pip3 install --no-cache-dir numpy==1.26.4 pandas==2.2.3
USER spark
