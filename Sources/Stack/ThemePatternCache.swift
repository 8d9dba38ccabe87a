/// The theme pattern cache: a PHP file every WordPress replica loads from its configuration
/// (`WORDPRESS_CONFIG_EXTRA` requires it), handed over as a Swarm config so it lives in the
/// container, not on the shared volume.
///
/// Why (issue 20, `scripts/bench/wordpress` ablation): WordPress 6.0–6.3 (the lab image has 6.1)
/// lists the active theme's `patterns/` folder and reads every pattern file's header on every
/// request (`_register_theme_block_patterns`); on Gluster each listing is an OPENDIR and READDIRP
/// on every brick and each header read an open. The file keeps the list and the headers in the
/// container's temporary folder and checks them on every request against `stat()` of the folder
/// and of each listed file: a pattern added, removed, renamed or edited on any replica is used as
/// soon as this replica sees the stat change (the kernel's 1 s attribute timeout on the plugin's
/// mounts). Pattern content is still included on every request, as WordPress does. WordPress 6.4
/// and later cache the list themselves: the file then changes nothing. A site (or the bench's
/// ablation) turns it off with `define('BRICKCTL_THEME_CACHE', false)` before wp-config loads it.
///
/// Pure: `text` is fixed; `digest` is part of the Swarm config's name (a Swarm config cannot change).
public struct ThemePatternCache: SwarmConfigText, Equatable, Sendable {
    /// The file name next to the stack file.
    public static let file = "theme-patterns.php"
    /// Where the replicas find it (both images): in the container, off the shared volume.
    public static let path = "/usr/local/share/brickctl/theme-patterns.php"

    public init() {}

    /// PHP for `WORDPRESS_CONFIG_EXTRA` that loads the file (read by both images' configuration).
    public var configLine: String { "require_once '\(Self.path)';" }

    public var text: String {
        #"""
        <?php
        /**
         * brickctl theme pattern cache (from brickctl's stack; loaded by wp-config through
         * WORDPRESS_CONFIG_EXTRA, or as a must-use plugin).
         *
         * WordPress 6.0-6.3 lists the theme's patterns/ folder and reads every pattern file's header on every
         * request (_register_theme_block_patterns), and 6.1 walks the theme's templates/ and parts/ folders
         * several times per request (get_block_templates); on shared storage each listing is a round trip
         * to every brick. This keeps the lists (and the patterns' headers) in the container's temporary
         * folder, checked on every request against the stat() of each folder (and of each pattern file): a
         * file added, removed, renamed or edited (through the admin's theme editor, a theme update, or on
         * another host) is seen as soon as this host sees the stat change. Pattern and template content is
         * still read on every request, as WordPress does. On other WordPress versions it does nothing.
         */
        if ( ! function_exists( 'brickctl_register_theme_block_patterns' ) ) {

        	/** The stat fields that change when a file or folder is replaced, edited or renamed. */
        	function brickctl_pattern_stamp( $path ) {
        		$s = @stat( $path );
        		return $s ? $s['ino'] . ':' . $s['size'] . ':' . $s['mtime'] . ':' . $s['ctime'] : false;
        	}

        	/** Writes $value to the host-local cache file $cache atomically (a new file renamed over it). */
        	function brickctl_theme_cache_write( $cache, $value ) {
        		$temporary = @tempnam( dirname( $cache ), 'brickctl-theme-' );
        		if ( $temporary ) {
        			if ( false !== @file_put_contents( $temporary, serialize( $value ) ) ) {
        				@rename( $temporary, $cache );
        			} else {
        				@unlink( $temporary );
        			}
        		}
        	}

        	/** [file => headers] for $dirpath, from the host-local cache while every stamp still matches. */
        	function brickctl_pattern_files( $dirpath, $default_headers ) {
        		$folder = brickctl_pattern_stamp( $dirpath );
        		if ( false === $folder ) {
        			return array();
        		}
        		$cache = sys_get_temp_dir() . '/brickctl-patterns-' . md5( $dirpath . '|' . $GLOBALS['wp_version'] ) . '.ser';
        		$entry = @unserialize( (string) @file_get_contents( $cache ), array( 'allowed_classes' => false ) );
        		if ( is_array( $entry ) && isset( $entry['folder'], $entry['files'] ) && $entry['folder'] === $folder ) {
        			$valid = true;
        			foreach ( $entry['files'] as $file => $cached ) {
        				if ( brickctl_pattern_stamp( $file ) !== $cached['stamp'] ) {
        					$valid = false;
        					break;
        				}
        			}
        			if ( $valid ) {
        				return array_map( function ( $cached ) { return $cached['headers']; }, $entry['files'] );
        			}
        		}
        		$files = array();
        		foreach ( (array) glob( $dirpath . '*.php' ) as $file ) {
        			$files[ $file ] = array( 'stamp' => brickctl_pattern_stamp( $file ), 'headers' => get_file_data( $file, $default_headers ) );
        		}
        		brickctl_theme_cache_write( $cache, array( 'folder' => $folder, 'files' => $files ) );
        		return array_map( function ( $cached ) { return $cached['headers']; }, $files );
        	}

        	/** WordPress 6.1's _register_theme_block_patterns, reading the list and headers through the cache. */
        	function brickctl_register_theme_block_patterns() {
        		$default_headers = array(
        			'title'         => 'Title',
        			'slug'          => 'Slug',
        			'description'   => 'Description',
        			'viewportWidth' => 'Viewport Width',
        			'categories'    => 'Categories',
        			'keywords'      => 'Keywords',
        			'blockTypes'    => 'Block Types',
        			'postTypes'     => 'Post Types',
        			'inserter'      => 'Inserter',
        		);
        		$themes     = array();
        		$stylesheet = get_stylesheet();
        		$template   = get_template();
        		if ( $stylesheet !== $template ) {
        			$themes[] = wp_get_theme( $stylesheet );
        		}
        		$themes[] = wp_get_theme( $template );
        		$registry = WP_Block_Patterns_Registry::get_instance();
        		foreach ( $themes as $theme ) {
        			$dirpath = $theme->get_stylesheet_directory() . '/patterns/';
        			foreach ( brickctl_pattern_files( $dirpath, $default_headers ) as $file => $pattern_data ) {
        				if ( empty( $pattern_data['slug'] ) || empty( $pattern_data['title'] ) ) {
        					continue;
        				}
        				if ( $registry->is_registered( $pattern_data['slug'] ) ) {
        					continue;
        				}
        				foreach ( array( 'categories', 'keywords', 'blockTypes', 'postTypes' ) as $property ) {
        					if ( ! empty( $pattern_data[ $property ] ) ) {
        						$pattern_data[ $property ] = array_filter( preg_split( '/[\s,]+/', (string) $pattern_data[ $property ] ) );
        					} else {
        						unset( $pattern_data[ $property ] );
        					}
        				}
        				if ( ! empty( $pattern_data['viewportWidth'] ) ) {
        					$pattern_data['viewportWidth'] = (int) $pattern_data['viewportWidth'];
        				} else {
        					unset( $pattern_data['viewportWidth'] );
        				}
        				if ( ! empty( $pattern_data['inserter'] ) ) {
        					$pattern_data['inserter'] = in_array( strtolower( $pattern_data['inserter'] ), array( 'yes', 'true' ), true );
        				} else {
        					unset( $pattern_data['inserter'] );
        				}
        				$text_domain = $theme->get( 'TextDomain' );
        				//phpcs:ignore WordPress.WP.I18n
        				$pattern_data['title'] = translate_with_gettext_context( $pattern_data['title'], 'Pattern title', $text_domain );
        				if ( ! empty( $pattern_data['description'] ) ) {
        					//phpcs:ignore WordPress.WP.I18n
        					$pattern_data['description'] = translate_with_gettext_context( $pattern_data['description'], 'Pattern description', $text_domain );
        				}
        				ob_start();
        				include $file;
        				$pattern_data['content'] = ob_get_clean();
        				if ( ! $pattern_data['content'] ) {
        					continue;
        				}
        				register_block_pattern( $pattern_data['slug'], $pattern_data );
        			}
        		}
        	}

        	/** Every *.html path under $base (sorted), from the host-local cache while no folder's stamp changed. */
        	function brickctl_block_templates_paths( $base ) {
        		if ( false === brickctl_pattern_stamp( $base ) ) {
        			return array();
        		}
        		$cache = sys_get_temp_dir() . '/brickctl-templates-' . md5( $base . '|' . $GLOBALS['wp_version'] ) . '.ser';
        		$entry = @unserialize( (string) @file_get_contents( $cache ), array( 'allowed_classes' => false ) );
        		if ( is_array( $entry ) && isset( $entry['folders'], $entry['paths'] ) ) {
        			$valid = true;
        			foreach ( $entry['folders'] as $folder => $stamp ) {
        				if ( brickctl_pattern_stamp( $folder ) !== $stamp ) {
        					$valid = false;
        					break;
        				}
        			}
        			if ( $valid ) {
        				return $entry['paths'];
        			}
        		}
        		$folders = array();
        		$paths   = array();
        		$pending = array( $base );
        		while ( $pending ) {
        			$folder             = array_pop( $pending );
        			$folders[ $folder ] = brickctl_pattern_stamp( $folder );
        			foreach ( (array) @scandir( $folder ) as $name ) {
        				if ( '.' === $name || '..' === $name || '' === $name ) {
        					continue;
        				}
        				$path = $folder . DIRECTORY_SEPARATOR . $name;
        				if ( is_dir( $path ) ) {
        					$pending[] = $path;
        				} elseif ( preg_match( '/^.+\.html$/i', $path ) ) {
        					$paths[] = $path;
        				}
        			}
        		}
        		sort( $paths );
        		brickctl_theme_cache_write( $cache, array( 'folders' => $folders, 'paths' => $paths ) );
        		return $paths;
        	}

        	/** WordPress 6.1's _get_block_templates_files, listing the folders through the cache. */
        	function brickctl_block_templates_files( $template_type ) {
        		if ( 'wp_template' !== $template_type && 'wp_template_part' !== $template_type ) {
        			return null;
        		}

        		$themes         = array(
        			get_stylesheet() => get_stylesheet_directory(),
        			get_template()   => get_template_directory(),
        		);
        		$template_files = array();
        		foreach ( $themes as $theme_slug => $theme_dir ) {
        			$template_base_paths  = get_block_theme_folders( $theme_slug );
        			$theme_template_files = brickctl_block_templates_paths( $theme_dir . '/' . $template_base_paths[ $template_type ] );
        			foreach ( $theme_template_files as $template_file ) {
        				$template_base_path = $template_base_paths[ $template_type ];
        				$template_slug      = substr(
        					$template_file,
        					// Starting position of slug.
        					strpos( $template_file, $template_base_path . DIRECTORY_SEPARATOR ) + 1 + strlen( $template_base_path ),
        					// Subtract ending '.html'.
        					-5
        				);
        				$new_template_item = array(
        					'slug'  => $template_slug,
        					'path'  => $template_file,
        					'theme' => $theme_slug,
        					'type'  => $template_type,
        				);

        				if ( 'wp_template_part' === $template_type ) {
        					$template_files[] = _add_block_template_part_area_info( $new_template_item );
        				}

        				if ( 'wp_template' === $template_type ) {
        					$template_files[] = _add_block_template_info( $new_template_item );
        				}
        			}
        		}

        		return $template_files;
        	}

        	/** WordPress 6.1's get_block_templates after its pre_get_block_templates filter, with the cached file lists. */
        	function brickctl_pre_get_block_templates( $templates, $query, $template_type ) {
        		if ( null !== $templates ) {
        			return $templates;
        		}
        		$post_type     = isset( $query['post_type'] ) ? $query['post_type'] : '';
        		$wp_query_args = array(
        			'post_status'    => array( 'auto-draft', 'draft', 'publish' ),
        			'post_type'      => $template_type,
        			'posts_per_page' => -1,
        			'no_found_rows'  => true,
        			'tax_query'      => array(
        				array(
        					'taxonomy' => 'wp_theme',
        					'field'    => 'name',
        					'terms'    => get_stylesheet(),
        				),
        			),
        		);

        		if ( 'wp_template_part' === $template_type && isset( $query['area'] ) ) {
        			$wp_query_args['tax_query'][]           = array(
        				'taxonomy' => 'wp_template_part_area',
        				'field'    => 'name',
        				'terms'    => $query['area'],
        			);
        			$wp_query_args['tax_query']['relation'] = 'AND';
        		}

        		if ( isset( $query['slug__in'] ) ) {
        			$wp_query_args['post_name__in'] = $query['slug__in'];
        		}

        		// This is only needed for the regular templates/template parts post type listing and editor.
        		if ( isset( $query['wp_id'] ) ) {
        			$wp_query_args['p'] = $query['wp_id'];
        		} else {
        			$wp_query_args['post_status'] = 'publish';
        		}

        		$template_query = new WP_Query( $wp_query_args );
        		$query_result   = array();
        		foreach ( $template_query->posts as $post ) {
        			$template = _build_block_template_result_from_post( $post );

        			if ( is_wp_error( $template ) ) {
        				continue;
        			}

        			if ( $post_type && ! $template->is_custom ) {
        				continue;
        			}

        			if (
        				$post_type &&
        				isset( $template->post_types ) &&
        				! in_array( $post_type, $template->post_types, true )
        			) {
        				continue;
        			}

        			$query_result[] = $template;
        		}

        		if ( ! isset( $query['wp_id'] ) ) {
        			$template_files = brickctl_block_templates_files( $template_type );
        			foreach ( $template_files as $template_file ) {
        				// The slug and area tests need only the file list: WordPress 6.1 reads every
        				// template's content first and drops most of them here (9 of 10 on a page of
        				// twentytwentythree); only the files the query keeps are read.
        				$is_not_custom   = false === array_search(
        					get_stylesheet() . '//' . $template_file['slug'],
        					wp_list_pluck( $query_result, 'id' ),
        					true
        				);
        				$fits_slug_query =
        					! isset( $query['slug__in'] ) || in_array( $template_file['slug'], $query['slug__in'], true );
        				$fits_area_query =
        					! isset( $query['area'] ) || $template_file['area'] === $query['area'];
        				if ( ! ( $is_not_custom && $fits_slug_query && $fits_area_query ) ) {
        					continue;
        				}

        				$template = _build_block_template_result_from_file( $template_file, $template_type );

        				if ( $post_type && ! $template->is_custom ) {
        					continue;
        				}

        				if ( $post_type &&
        					isset( $template->post_types ) &&
        					! in_array( $post_type, $template->post_types, true )
        				) {
        					continue;
        				}

        				$query_result[] = $template;
        			}
        		}

        		/** This filter is documented in wp-includes/block-template-utils.php */
        		return apply_filters( 'get_block_templates', $query_result, $query, $template_type );
        	}

        	/**
        	 * Swaps WordPress's pattern registration for the cached one (WordPress 6.0 to 6.3) and answers
        	 * get_block_templates() with the cached template lists (WordPress 6.1, whose code it repeats).
        	 * define( 'BRICKCTL_THEME_CACHE', false ) before this file is loaded turns it off.
        	 */
        	function brickctl_theme_pattern_cache_install() {
        		global $wp_version;
        		if ( ! isset( $wp_version ) || ( defined( 'BRICKCTL_THEME_CACHE' ) && ! BRICKCTL_THEME_CACHE ) ) {
        			return;
        		}
        		if ( version_compare( $wp_version, '6.0', '>=' ) && version_compare( $wp_version, '6.4-alpha', '<' )
        			&& false !== has_action( 'init', '_register_theme_block_patterns' ) ) {
        			remove_action( 'init', '_register_theme_block_patterns' );
        			add_action( 'init', 'brickctl_register_theme_block_patterns' );
        		}
        		if ( version_compare( $wp_version, '6.1', '>=' ) && version_compare( $wp_version, '6.2-alpha', '<' ) ) {
        			add_filter( 'pre_get_block_templates', 'brickctl_pre_get_block_templates', 10, 3 );
        		}
        	}

        	if ( function_exists( 'add_action' ) ) {
        		brickctl_theme_pattern_cache_install();
        	} else {
        		// Read from wp-config, before WordPress's hooks exist: WordPress builds hooks added to
        		// $wp_filter this early when it loads plugin.php (WP_Hook::build_preinitialized_hooks).
        		$GLOBALS['wp_filter']['plugins_loaded'][10][] = array( 'function' => 'brickctl_theme_pattern_cache_install', 'accepted_args' => 0 );
        	}
        }
        """#
    }

}
