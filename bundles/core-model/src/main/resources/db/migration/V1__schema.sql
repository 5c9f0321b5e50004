-- DebMonitor schema, version 1 (SPEC §4). Runs unchanged on H2 (MariaDB mode) and MariaDB;
-- ${table_options} gives MariaDB InnoDB with the case-sensitive utf8mb4_bin collation.
-- Lower-case names everywhere, so native SQL is the same on both databases.

create table os (
    id bigint auto_increment primary key,
    name varchar(255) not null,
    constraint uk_os_name unique (name)
)${table_options};

create table source_package (
    id bigint auto_increment primary key,
    name varchar(255) not null,
    constraint uk_source_package_name unique (name)
)${table_options};

create table source_package_version (
    id bigint auto_increment primary key,
    source_package_id bigint not null,
    version varchar(255) not null,
    os_id bigint not null,
    constraint uk_source_package_version unique (source_package_id, os_id, version),
    constraint fk_spv_source_package foreign key (source_package_id) references source_package (id),
    constraint fk_spv_os foreign key (os_id) references os (id)
)${table_options};

create table package (
    id bigint auto_increment primary key,
    name varchar(255) not null,
    constraint uk_package_name unique (name)
)${table_options};

create table package_version (
    id bigint auto_increment primary key,
    package_id bigint not null,
    version varchar(255) not null,
    os_id bigint not null,
    source_package_version_id bigint not null,
    constraint uk_package_version unique (package_id, os_id, version),
    constraint fk_pv_package foreign key (package_id) references package (id),
    constraint fk_pv_os foreign key (os_id) references os (id),
    constraint fk_pv_spv foreign key (source_package_version_id) references source_package_version (id)
)${table_options};
create index ix_package_version_spv on package_version (source_package_version_id);

create table kernel (
    id bigint auto_increment primary key,
    name varchar(255) not null,
    os_id bigint not null,
    slug varchar(255) not null,
    constraint uk_kernel_name unique (os_id, name),
    constraint uk_kernel_slug unique (os_id, slug),
    constraint fk_kernel_os foreign key (os_id) references os (id)
)${table_options};

create table host (
    id bigint auto_increment primary key,
    name varchar(255) not null,
    os_id bigint not null,
    kernel_id bigint not null,
    kernel_release varchar(255),
    created datetime(3) not null,
    modified datetime(3) not null,
    constraint uk_host_name unique (name),
    constraint fk_host_os foreign key (os_id) references os (id),
    constraint fk_host_kernel foreign key (kernel_id) references kernel (id)
)${table_options};
create index ix_host_os on host (os_id);
create index ix_host_modified on host (modified);
create index ix_host_kernel on host (kernel_id);

-- Rows are keyed by (entity, package) so one entity's rows sit together on disk.
create table host_package (
    host_id bigint not null,
    package_id bigint not null,
    installed_version_id bigint not null,
    upgrade_version_id bigint,
    upgrade_type varchar(255),
    primary key (host_id, package_id),
    constraint fk_hp_host foreign key (host_id) references host (id),
    constraint fk_hp_package foreign key (package_id) references package (id),
    constraint fk_hp_installed foreign key (installed_version_id) references package_version (id),
    constraint fk_hp_upgrade foreign key (upgrade_version_id) references package_version (id)
)${table_options};
create index ix_host_package_package on host_package (package_id, installed_version_id, upgrade_version_id, upgrade_type);
create index ix_host_package_installed on host_package (installed_version_id);
create index ix_host_package_upgrade on host_package (upgrade_version_id);

create table image (
    id bigint auto_increment primary key,
    name varchar(255) not null,
    os_id bigint not null,
    created datetime(3) not null,
    modified datetime(3) not null,
    constraint uk_image_name unique (name),
    constraint fk_image_os foreign key (os_id) references os (id)
)${table_options};
create index ix_image_os on image (os_id);
create index ix_image_modified on image (modified);

create table image_package (
    image_id bigint not null,
    package_id bigint not null,
    installed_version_id bigint not null,
    upgrade_version_id bigint,
    upgrade_type varchar(255),
    primary key (image_id, package_id),
    constraint fk_ip_image foreign key (image_id) references image (id),
    constraint fk_ip_package foreign key (package_id) references package (id),
    constraint fk_ip_installed foreign key (installed_version_id) references package_version (id),
    constraint fk_ip_upgrade foreign key (upgrade_version_id) references package_version (id)
)${table_options};
create index ix_image_package_package on image_package (package_id, installed_version_id, upgrade_version_id, upgrade_type);
create index ix_image_package_installed on image_package (installed_version_id);
create index ix_image_package_upgrade on image_package (upgrade_version_id);

create table kubernetes_image (
    id bigint auto_increment primary key,
    cluster varchar(255) not null,
    namespace varchar(255) not null,
    image_id bigint not null,
    containers int not null,
    created datetime(3) not null,
    modified datetime(3) not null,
    constraint uk_kubernetes_image unique (cluster, namespace, image_id),
    constraint fk_ki_image foreign key (image_id) references image (id)
)${table_options};
create index ix_kubernetes_image_image on kubernetes_image (image_id);
