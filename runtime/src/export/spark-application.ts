/**
 * An exported Structured Streaming job as Kubernetes objects for the Spark operator
 * (kubeflow/spark-operator, API `sparkoperator.k8s.io/v1beta2`), in one file for `kubectl apply -f`:
 *
 *   PersistentVolumeClaim  the queries' checkpoints, so a driver started again resumes where it stopped
 *   ConfigMap         the job's Python file, with the cluster's Kafka and PostgreSQL in place of the
 *                     addresses it was written with, and the PostgreSQL password read from PGPASSWORD
 *   SparkApplication  what the tutorial's `spark-submit --master k8s://… --deploy-mode cluster` says:
 *                     image, packages, driver and executor resources, and a restart policy, declared
 *
 * The defaults are the classroom's Services and Secret in the `streamlab` namespace (`k8s/base`).
 */
import { stringify } from 'yaml';
import { pyStr } from './python-text.js';
import { POSTGRES_JDBC_VERSION, SPARK_SCALA, SPARK_VERSION } from './versions.js';

/** Where the job runs. */
export interface ClusterTarget {
  /** Kubernetes namespace (default `streamlab`). */
  namespace?: string;
  /** Kafka bootstrap servers inside the cluster. */
  kafka?: string;
  /** JDBC URL of PostgreSQL inside the cluster (with `user=`; the password comes from the Secret). */
  jdbcUrl?: string;
  /** Secret and key holding the PostgreSQL password. */
  passwordSecret?: { name: string; key: string };
}

/** The classroom's defaults (k8s/base). */
export const CLASSROOM_TARGET: Required<ClusterTarget> = {
  namespace: 'streamlab',
  kafka: 'kafka.streamlab.svc.cluster.local:9092',
  jdbcUrl: 'jdbc:postgresql://postgres.streamlab.svc.cluster.local:5432/streamlab?user=streamlab',
  passwordSecret: { name: 'streamlab-secrets', key: 'POSTGRES_PASSWORD' },
};

/** The official Apache Spark image the exported scripts run on (Scala 2.12, as the Kafka connector). */
export const SPARK_IMAGE = `spark:${SPARK_VERSION}-scala${SPARK_SCALA}-java17-python3-ubuntu`;

/**
 * The exported script with the cluster's addresses: every Kafka bootstrap option and JDBC URL in it
 * becomes the target's, a password written in the code is read from PGPASSWORD, and the user comes
 * from the target's URL.
 */
export function scriptForCluster(code: string, target: ClusterTarget = {}): string {
  const t = { ...CLASSROOM_TARGET, ...target };
  const env = 'os.environ["PGPASSWORD"]';
  let out = code
    .replace(/\.option\("kafka\.bootstrap\.servers", "(?:[^"\\]|\\.)*"\)/g, `.option("kafka.bootstrap.servers", ${pyStr(t.kafka)})`)
    .replace(/\burl="jdbc:postgresql:(?:[^"\\]|\\.)*"/g, `url=${pyStr(t.jdbcUrl)}`)
    .replace(/\.option\("url", "jdbc:postgresql:(?:[^"\\]|\\.)*"\)/g, `.option("url", ${pyStr(t.jdbcUrl)})`)
    .replace(/"password": "(?:[^"\\]|\\.)*"/g, `"password": ${env}`)
    .replace(/\.option\("password", "(?:[^"\\]|\\.)*"\)/g, `.option("password", ${env})`)
    .replace(/, "user": "(?:[^"\\]|\\.)*"/g, '')
    .replace(/"user": "(?:[^"\\]|\\.)*", /g, '')
    .replace(/\n\s*\.option\("user", "(?:[^"\\]|\\.)*"\)/g, '');
  if (out.includes(env) && !/^import os$/m.test(out)) out = out.replace(/^from pyspark\.sql import SparkSession$/m, 'import os\n\nfrom pyspark.sql import SparkSession');
  return out;
}

/** A Kubernetes name from an app name: lower case, `-` between words, at most 40 characters. */
export function k8sName(appName: string): string {
  const name = appName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return name === '' ? 'streamlab-job' : name;
}

/** Options of {@link sparkApplicationManifest}. */
export interface ManifestOptions extends ClusterTarget {
  /** The SparkApplication's name (also names the ConfigMap `<name>-job`). */
  name: string;
  /** The script as it runs in the cluster ({@link scriptForCluster}). */
  script: string;
}

/** The PersistentVolumeClaim, the ConfigMap and the SparkApplication, as one multi-document YAML text. */
export function sparkApplicationManifest(o: ManifestOptions): string {
  const t = { ...CLASSROOM_TARGET, ...o };
  const file = `${o.name}.py`;
  const labels = { 'app.kubernetes.io/name': o.name, 'app.kubernetes.io/part-of': 'streamlab' };
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${o.name}-job`, namespace: t.namespace, labels },
    data: { [file]: o.script },
  };
  const checkpoints = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: `${o.name}-checkpoints`, namespace: t.namespace, labels },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  };
  const job = { name: 'job', mountPath: '/opt/streamlab/job' };
  // The driver writes the offset and commit logs; a stateless job's executors write no checkpoint.
  const driverMounts = [job, { name: 'checkpoints', mountPath: '/checkpoints' }];
  const app = {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name: o.name, namespace: t.namespace, labels },
    spec: {
      type: 'Python',
      pythonVersion: '3',
      mode: 'cluster',
      image: SPARK_IMAGE,
      imagePullPolicy: 'IfNotPresent',
      mainApplicationFile: `local:///opt/streamlab/job/${file}`,
      sparkVersion: SPARK_VERSION,
      deps: { packages: [`org.apache.spark:spark-sql-kafka-0-10_${SPARK_SCALA}:${SPARK_VERSION}`, `org.postgresql:postgresql:${POSTGRES_JDBC_VERSION}`] },
      sparkConf: {
        'spark.jars.ivy': '/tmp/.ivy2',
        'spark.sql.shuffle.partitions': '4',
        'spark.sql.session.timeZone': 'UTC',
      },
      // A crashed driver is started again and resumes from its checkpoint, as in the lesson's Crash mid-batch.
      restartPolicy: { type: 'OnFailure', onFailureRetries: 3, onFailureRetryInterval: 10, onSubmissionFailureRetries: 3, onSubmissionFailureRetryInterval: 20 },
      volumes: [
        { name: 'job', configMap: { name: `${o.name}-job` } },
        { name: 'checkpoints', persistentVolumeClaim: { claimName: `${o.name}-checkpoints` } },
      ],
      driver: {
        cores: 1,
        memory: '1g',
        serviceAccount: 'spark-operator-spark',
        env: [{ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: t.passwordSecret.name, key: t.passwordSecret.key } } }],
        labels,
        volumeMounts: driverMounts,
      },
      executor: { instances: 1, cores: 1, memory: '2g', labels, volumeMounts: [job] },
    },
  };
  const head = [
    `# ${o.name}: a Structured Streaming job exported from Streamlab, for the Spark operator.`,
    '#   kubectl apply -f this-file.yaml',
    `#   kubectl -n ${t.namespace} logs -f ${o.name}-driver`,
    `# The Kafka connector and the PostgreSQL JDBC driver are fetched from Maven Central at submission.`,
  ];
  const yaml = (o: unknown) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false });
  return `${head.join('\n')}\n${yaml(checkpoints)}---\n${yaml(configMap)}---\n${yaml(app)}`;
}
